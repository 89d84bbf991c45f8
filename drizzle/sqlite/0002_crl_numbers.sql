CREATE TABLE `crl_numbers` (
	`issuer_id` text PRIMARY KEY NOT NULL,
	`last_number` integer NOT NULL,
	`updated_at` integer NOT NULL
);
