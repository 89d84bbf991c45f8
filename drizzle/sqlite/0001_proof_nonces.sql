CREATE TABLE `proof_nonces` (
	`jti` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `proof_nonces_expires_at_idx` ON `proof_nonces` (`expires_at`);