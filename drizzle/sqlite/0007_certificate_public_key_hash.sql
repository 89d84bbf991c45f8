ALTER TABLE `certificates` ADD `public_key_sha256` text;--> statement-breakpoint
CREATE INDEX `certificates_public_key_sha256_idx` ON `certificates` (`public_key_sha256`);