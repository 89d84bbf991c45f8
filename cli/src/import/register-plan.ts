import { join } from "node:path";
import { type AnsError, isAnsError } from "@ans/shared/errors";
import {
	type AgentKeyType,
	createCsr,
	exportPrivateKeyPem,
	generateAgentKeyPair,
} from "@ans/shared/keys";
import { decodeRecord, metadataDigest } from "@ans/shared/records";
import { writeOutput } from "../files.ts";
import { callJson } from "../http.ts";
import type { ImportPlan } from "./map-entry.ts";
import type { Skip } from "./skip-reason.ts";

/** Result of registering one plan. */
export type RegisterOutcome =
	| { status: "imported"; id: string }
	| { status: "already-registered"; id: string }
	| ({ status: "skipped" } & Skip)
	| { status: "failed"; code: string; message: string };

/** Settings and shared state of one import run. */
export interface RegisterContext {
	/** Control plane base URL without a trailing `/`. */
	baseUrl: string;
	/** Bearer token with the register scope. */
	token: string;
	keyType: AgentKeyType;
	/** Directory for each imported agent's private key; keys are discarded when undefined. */
	keyDir?: string | undefined;
	/**
	 * Set after the control plane rejected a loopback endpoint, so later
	 * entries with loopback endpoints are skipped without a request.
	 */
	loopbackRejected: boolean;
}

const LOOPBACK_HINT =
	"Start the control plane with ANS_ALLOW_LOOPBACK_ENDPOINTS=1 to import agents that run on this machine.";

/**
 * Registers one plan through `POST /v1/agents` with a fresh key pair and
 * CSR, as a provider would. A 409 NAME_TAKEN is looked up: when the
 * registered record carries the same metadata digest, the entry counts as
 * already registered, which makes a second run of the same import a no-op.
 *
 * Every other error becomes a skip or a failure of this entry.
 *
 * @throws AnsError for 401 and 403, because no later entry can succeed
 * with the same token either.
 */
export async function registerPlan(
	context: RegisterContext,
	plan: ImportPlan,
): Promise<RegisterOutcome> {
	if (context.loopbackRejected && plan.loopbackFields.length > 0) {
		return loopbackSkip(plan.loopbackFields[0] ?? "metadata");
	}
	try {
		const keys = await generateAgentKeyPair(context.keyType);
		const csr = await createCsr({
			keys,
			canonicalName: plan.canonicalName,
			agentId: plan.agentId,
		});
		const { body } = await callJson<{ id: string }>(
			"POST",
			`${context.baseUrl}/v1/agents`,
			{
				token: context.token,
				body: { name: plan.name, metadata: plan.metadata, csr },
			},
		);
		if (context.keyDir !== undefined) {
			const path = join(context.keyDir, keyFileName(plan));
			try {
				writeOutput(path, await exportPrivateKeyPem(keys.privateKey), {
					secret: true,
				});
			} catch (error) {
				return {
					status: "failed",
					code: "KEY_WRITE_FAILED",
					message: `registered as ${body.id}, but writing the private key to ${path} failed, so the agent cannot prove possession later: ${(error as Error).message}`,
				};
			}
		}
		return { status: "imported", id: body.id };
	} catch (error) {
		if (!isAnsError(error)) {
			return {
				status: "failed",
				code: "IMPORT_FAILED",
				message: error instanceof Error ? error.message : String(error),
			};
		}
		return classifyRejection(context, plan, error);
	}
}

/**
 * File name of a plan's private key: the canonical name with `://` as `.`,
 * such as `mcp.magic-mcp.tools.21st-dev.v0.0.1-seed.key.pem`. Canonical
 * names are unique, so no two keys of one import share a file.
 */
export function keyFileName(plan: ImportPlan): string {
	return `${plan.canonicalName.replace("://", ".")}.key.pem`;
}

async function classifyRejection(
	context: RegisterContext,
	plan: ImportPlan,
	error: AnsError,
): Promise<RegisterOutcome> {
	if (error.status === 401 || error.status === 403) {
		throw error;
	}
	if (error.status === 409 && error.code === "NAME_TAKEN") {
		try {
			return await lookUpExisting(context, plan);
		} catch (lookupError) {
			const message = (lookupError as Error).message;
			return {
				status: "failed",
				code: isAnsError(lookupError) ? lookupError.code : "IMPORT_FAILED",
				message: `${plan.canonicalName} is taken, and looking it up failed: ${message}`,
			};
		}
	}
	if (error.status === 413) {
		return skipped("metadata-too-large", error.message);
	}
	if (
		error.code === "ENDPOINT_ADDRESS_FORBIDDEN" &&
		error.field !== undefined &&
		plan.loopbackFields.includes(error.field)
	) {
		context.loopbackRejected = true;
		return loopbackSkip(error.field);
	}
	if (error.status === 400 && error.code.startsWith("ENDPOINT_")) {
		return skipped("endpoint-rejected", error.message);
	}
	if (error.status >= 400 && error.status < 500) {
		return skipped("rejected", `${error.code}: ${error.message}`);
	}
	return { status: "failed", code: error.code, message: error.message };
}

/** Decides whether the registration under the name is this document's. */
async function lookUpExisting(
	context: RegisterContext,
	plan: ImportPlan,
): Promise<RegisterOutcome> {
	const query = new URLSearchParams({ name: plan.canonicalName });
	const { status, body } = await callJson<{ record?: string }>(
		"GET",
		`${context.baseUrl}/v1/resolve?${query}`,
		{ accept: [404, 410] },
	);
	if (status === 410) {
		return skipped(
			"name-taken",
			`${plan.canonicalName} was registered before and is no longer active; a version is never reused, so publish a new version`,
		);
	}
	if (status === 200 && typeof body.record === "string") {
		const { payload } = decodeRecord(body.record);
		if (payload.metadataDigest === (await metadataDigest(plan.metadata))) {
			return { status: "already-registered", id: payload.sub };
		}
	}
	return skipped(
		"name-taken",
		`${plan.canonicalName} is already registered with other metadata (names compare case-insensitively)`,
	);
}

function loopbackSkip(field: string): RegisterOutcome {
	return skipped(
		"endpoint-loopback",
		`${field} is a loopback address, which this control plane rejects. ${LOOPBACK_HINT}`,
	);
}

function skipped(reason: Skip["reason"], message: string): RegisterOutcome {
	return { status: "skipped", reason, message };
}
