-- Full-text search for discovery (GET /v1/agents?q=), matching the SQLite
-- FTS5 table (unicode61 tokenizer, remove_diacritics 2). Words are runs of
-- letters and digits, compared ignoring case and Latin diacritics, and a
-- query word matches as a prefix.
--
-- ans_search_text strips combining marks after NFD (so "café" indexes as
-- "cafe") and turns ASCII punctuation into spaces, so the text search
-- parser never reads a name such as a2a://agent.Capability.Provider.v1.0.0
-- as one URL or host token. The 'simple' configuration then lowercases
-- every word and drops none. The store folds query words with the same
-- steps (foldSearchText), so both sides produce the same lexemes.
-- normalize() needs a UTF8 database; the RETURN body needs PostgreSQL 14.
CREATE FUNCTION "ans_search_text"("input" text) RETURNS text
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN regexp_replace(
		regexp_replace(normalize("input", NFD), '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'),
		'[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+', ' ', 'g'
	);
--> statement-breakpoint
-- Generated, so every write path (the store, the copy tool, manual SQL)
-- keeps it in step with the three text columns inside the same
-- transaction, and a rolled-back insert leaves nothing indexed.
ALTER TABLE "agents" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
	to_tsvector('simple'::regconfig, "ans_search_text"("search_names" || ' ' || "description" || ' ' || "search_skills"))
) STORED;
--> statement-breakpoint
CREATE INDEX "agents_search_vector_idx" ON "agents" USING gin ("search_vector");
