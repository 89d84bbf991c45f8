-- Full-text search for discovery (GET /v1/agents?q=). The FTS5 table keeps
-- its own copy of the text and the agent id, because agents has a text
-- primary key, and the implicit rowid that an external-content table would
-- join on can change on VACUUM. Triggers keep it in step with agents.
-- Agents registered before this migration get their display name as search
-- text and their name's capability label as their only capability.
UPDATE `agents` SET `capabilities_json` = json_array(`capability`), `search_names` = `display_name` WHERE `search_names` = '';
--> statement-breakpoint
INSERT OR IGNORE INTO `agent_capabilities` (`agent_id`, `capability`) SELECT `id`, lower(`capability`) FROM `agents`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `agents_fts` USING fts5(`agent_id` UNINDEXED, `name`, `description`, `skills`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `agents_fts` (`agent_id`, `name`, `description`, `skills`) SELECT `id`, `search_names`, `description`, `search_skills` FROM `agents`;
--> statement-breakpoint
CREATE TRIGGER `agents_fts_after_insert` AFTER INSERT ON `agents` BEGIN
	INSERT INTO `agents_fts` (`agent_id`, `name`, `description`, `skills`) VALUES (new.`id`, new.`search_names`, new.`description`, new.`search_skills`);
END;
--> statement-breakpoint
-- Deleting by the unindexed agent_id scans agents_fts; only changes to the
-- searched columns pay for it, not status changes or record re-signing.
CREATE TRIGGER `agents_fts_after_update` AFTER UPDATE OF `search_names`, `description`, `search_skills` ON `agents` BEGIN
	DELETE FROM `agents_fts` WHERE `agent_id` = old.`id`;
	INSERT INTO `agents_fts` (`agent_id`, `name`, `description`, `skills`) VALUES (new.`id`, new.`search_names`, new.`description`, new.`search_skills`);
END;
--> statement-breakpoint
CREATE TRIGGER `agents_fts_after_delete` AFTER DELETE ON `agents` BEGIN
	DELETE FROM `agents_fts` WHERE `agent_id` = old.`id`;
END;
