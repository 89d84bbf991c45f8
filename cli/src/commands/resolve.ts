import { AnsError } from "@ans/shared/errors";
import { formatBaseName, formatName, parseNameOrBase } from "@ans/shared/names";
import type { ExpectedName, ResolutionAnswer } from "@ans/shared/verification";
import type { Command } from "commander";
import { writeOutput } from "../files.ts";
import { callJson } from "../http.ts";
import { type ServerOptions, serverUrl } from "../options.ts";
import { exitFailure, printJson, reportError } from "../output.ts";
import { loadTrust, recordKeyId } from "../trust.ts";
import { verifyAnswer } from "../verify-answer.ts";

interface ResolveOptions extends ServerOptions {
	range?: string;
	trust?: string;
	trustUrl?: string;
	save?: string;
	revocation: boolean;
	refresh: boolean;
}

/** `ans resolve NAME`: resolves through an edge or the control plane and verifies the answer. */
export function registerResolveCommand(program: Command): void {
	program
		.command("resolve")
		.description(
			"Resolve a name (or a version-less name and --range) and print the verified record; exit 1 if it is revoked, gone or fails verification",
		)
		.argument(
			"<name>",
			"full name, or a version-less name such as a2a://textProcessor.DocumentTranslation.AcmeCorp",
		)
		.option(
			"--range <range>",
			"npm semver range, e.g. ^2.0.0 (only with a version-less name)",
		)
		.option(
			"--url <url>",
			"resolver: an edge or the control plane (default ANS_URL or http://127.0.0.1:8080)",
		)
		.option(
			"--trust <file>",
			"trust file from ans trust fetch (default ANS_TRUST_FILE)",
		)
		.option(
			"--no-revocation",
			"skip the OCSP/CRL revocation check of the agent certificate",
		)
		.option(
			"--trust-url <url>",
			"where to fetch trust material when no trust file is given (default --url)",
		)
		.option(
			"--no-refresh",
			"never refetch the trust file's JWKS; by default it is refetched from the file's source and saved when older than 15 minutes or when it lacks the record's key id",
		)
		.option("--save <file>", "also write the raw answer JSON, for ans verify")
		.action(async (name: string, options: ResolveOptions) => {
			try {
				await resolve(name, options);
			} catch (error) {
				reportError(error);
			}
		});
}

async function resolve(input: string, options: ResolveOptions): Promise<void> {
	const parsed = parseNameOrBase(input);
	const expectedName: ExpectedName =
		parsed.name === undefined
			? { base: formatBaseName(parsed.base) }
			: formatName(parsed.name);

	const base = serverUrl(options);
	const query = new URLSearchParams({ name: input });
	if (options.range !== undefined) {
		query.set("range", options.range);
	}
	const { status, body, headers } = await callJson<
		ResolutionAnswer & { error?: { code: string; message: string } }
	>("GET", `${base}/v1/resolve?${query}`, { accept: [410] });

	if (options.save !== undefined) {
		writeOutput(options.save, `${JSON.stringify(body, null, 2)}\n`);
	}

	const trust = await loadTrust(options.trust, options.trustUrl ?? base, {
		refresh: options.refresh,
		recordKid: recordKeyId(body.record),
	});
	const verified = await verifyAnswer(body, trust.bundle, {
		expectedName,
		// A tombstone's certificate is revoked by definition; its signature is what counts.
		checkRevocation: options.revocation && status === 200,
		trustFile: trust.path,
	});

	const cache = headers.get("x-ans-cache");
	if (status === 410) {
		const error = new AnsError(
			body.error?.code ?? "AGENT_GONE",
			body.error?.message ?? "the agent is gone",
			{
				status: 410,
				field: "name",
			},
		);
		printJson({
			...error.toBody(),
			tombstone: verified,
			...(cache === null ? {} : { cache }),
		});
		process.exitCode = exitFailure;
		return;
	}
	printJson({ ...verified, ...(cache === null ? {} : { cache }) });
}
