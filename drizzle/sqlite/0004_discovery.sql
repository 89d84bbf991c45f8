CREATE TABLE `agent_capabilities` (
	`agent_id` text NOT NULL,
	`capability` text NOT NULL,
	PRIMARY KEY(`capability`, `agent_id`),
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `agents` ADD `description` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `capabilities_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `search_names` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `agents` ADD `search_skills` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `agents_created_at_id_idx` ON `agents` (`created_at`,`id`);