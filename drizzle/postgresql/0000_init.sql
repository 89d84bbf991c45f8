CREATE TABLE "agent_capabilities" (
	"agent_id" text COLLATE "C" NOT NULL,
	"capability" text COLLATE "C" NOT NULL,
	CONSTRAINT "agent_capabilities_capability_agent_id_pk" PRIMARY KEY("capability","agent_id")
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"base_key" text COLLATE "C" NOT NULL,
	"version" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"display_name" text COLLATE "C" NOT NULL,
	"protocol" text COLLATE "C" NOT NULL,
	"agent_label" text COLLATE "C" NOT NULL,
	"capability" text COLLATE "C" NOT NULL,
	"provider" text COLLATE "C" NOT NULL,
	"extension" text COLLATE "C",
	"status" text COLLATE "C" NOT NULL,
	"endpoints_json" text COLLATE "C" NOT NULL,
	"metadata_json" text COLLATE "C" NOT NULL,
	"metadata_digest" text COLLATE "C" NOT NULL,
	"certificate_serial" text COLLATE "C" NOT NULL,
	"record_jws" text COLLATE "C" NOT NULL,
	"record_kid" text COLLATE "C" NOT NULL,
	"record_expires_at" bigint NOT NULL,
	"seq" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"description" text COLLATE "C" DEFAULT '' NOT NULL,
	"capabilities_json" text COLLATE "C" DEFAULT '[]' NOT NULL,
	"search_names" text COLLATE "C" DEFAULT '' NOT NULL,
	"search_skills" text COLLATE "C" DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"serial" text COLLATE "C" PRIMARY KEY NOT NULL,
	"agent_id" text COLLATE "C" NOT NULL,
	"issuer_id" text COLLATE "C" NOT NULL,
	"sha256" text COLLATE "C" NOT NULL,
	"pem" text COLLATE "C" NOT NULL,
	"not_before" bigint NOT NULL,
	"not_after" bigint NOT NULL,
	"revoked_at" bigint,
	"revocation_reason" text COLLATE "C",
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "changes" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"type" text COLLATE "C" NOT NULL,
	"agent_id" text COLLATE "C" NOT NULL,
	"base_key" text COLLATE "C" NOT NULL,
	"payload_json" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crl_numbers" (
	"issuer_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"last_number" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "proof_nonces" (
	"jti" text COLLATE "C" PRIMARY KEY NOT NULL,
	"agent_id" text COLLATE "C" NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sequences" (
	"name" text COLLATE "C" PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"kid" text COLLATE "C" PRIMARY KEY NOT NULL,
	"alg" text COLLATE "C" NOT NULL,
	"public_jwk_json" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"activated_at" bigint,
	"activate_after" bigint,
	"retired_at" bigint
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"hash" text COLLATE "C" NOT NULL,
	"scopes" text COLLATE "C" NOT NULL,
	"label" text COLLATE "C",
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