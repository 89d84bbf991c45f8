CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`base_key` text NOT NULL,
	`version` text NOT NULL,
	`name` text NOT NULL,
	`display_name` text NOT NULL,
	`protocol` text NOT NULL,
	`agent_label` text NOT NULL,
	`capability` text NOT NULL,
	`provider` text NOT NULL,
	`extension` text,
	`status` text NOT NULL,
	`endpoints_json` text NOT NULL,
	`metadata_json` text NOT NULL,
	`metadata_digest` text NOT NULL,
	`certificate_serial` text NOT NULL,
	`record_jws` text NOT NULL,
	`record_kid` text NOT NULL,
	`record_expires_at` integer NOT NULL,
	`seq` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_base_key_version_unique` ON `agents` (`base_key`,`version`);--> statement-breakpoint
CREATE INDEX `agents_record_expires_at_idx` ON `agents` (`record_expires_at`);--> statement-breakpoint
CREATE TABLE `certificates` (
	`serial` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`issuer_id` text NOT NULL,
	`sha256` text NOT NULL,
	`pem` text NOT NULL,
	`not_before` integer NOT NULL,
	`not_after` integer NOT NULL,
	`revoked_at` integer,
	`revocation_reason` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `certificates_agent_id_idx` ON `certificates` (`agent_id`);--> statement-breakpoint
CREATE TABLE `changes` (
	`seq` integer PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`agent_id` text NOT NULL,
	`base_key` text NOT NULL,
	`payload_json` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `changes_agent_id_idx` ON `changes` (`agent_id`);--> statement-breakpoint
CREATE TABLE `sequences` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`alg` text NOT NULL,
	`public_jwk_json` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`activated_at` integer,
	`retired_at` integer
);
--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`scopes` text NOT NULL,
	`label` text,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_hash_unique` ON `tokens` (`hash`);