CREATE TABLE "agent_capabilities" (
	"agent_id" text NOT NULL,
	"capability" text NOT NULL,
	CONSTRAINT "agent_capabilities_capability_agent_id_pk" PRIMARY KEY("capability","agent_id")
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"id" text PRIMARY KEY NOT NULL,
	"base_key" text NOT NULL,
	"version" text NOT NULL,
	"name" text NOT NULL,
	"display_name" text NOT NULL,
	"protocol" text NOT NULL,
	"agent_label" text NOT NULL,
	"capability" text NOT NULL,
	"provider" text NOT NULL,
	"extension" text,
	"status" text NOT NULL,
	"endpoints_json" text NOT NULL,
	"metadata_json" text NOT NULL,
	"metadata_digest" text NOT NULL,
	"certificate_serial" text NOT NULL,
	"record_jws" text NOT NULL,
	"record_kid" text NOT NULL,
	"record_expires_at" bigint NOT NULL,
	"seq" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"capabilities_json" text DEFAULT '[]' NOT NULL,
	"search_names" text DEFAULT '' NOT NULL,
	"search_skills" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"serial" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"issuer_id" text NOT NULL,
	"sha256" text NOT NULL,
	"pem" text NOT NULL,
	"not_before" bigint NOT NULL,
	"not_after" bigint NOT NULL,
	"revoked_at" bigint,
	"revocation_reason" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "changes" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"agent_id" text NOT NULL,
	"base_key" text NOT NULL,
	"payload_json" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crl_numbers" (
	"issuer_id" text PRIMARY KEY NOT NULL,
	"last_number" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "proof_nonces" (
	"jti" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sequences" (
	"name" text PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"alg" text NOT NULL,
	"public_jwk_json" text NOT NULL,
	"status" text NOT NULL,
	"created_at" bigint NOT NULL,
	"activated_at" bigint,
	"activate_after" bigint,
	"retired_at" bigint
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"scopes" text NOT NULL,
	"label" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint,
	"revoked_at" bigint,
	CONSTRAINT "tokens_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
ALTER TABLE "agent_capabilities" ADD CONSTRAINT "agent_capabilities_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_base_key_version_unique" ON "agents" USING btree ("base_key","version");--> statement-breakpoint
CREATE INDEX "agents_record_expires_at_idx" ON "agents" USING btree ("record_expires_at");--> statement-breakpoint
CREATE INDEX "agents_created_at_id_idx" ON "agents" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "certificates_agent_id_idx" ON "certificates" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "changes_agent_id_idx" ON "changes" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "proof_nonces_expires_at_idx" ON "proof_nonces" USING btree ("expires_at");