import { AnsError } from "../errors.ts";
import type { EndpointRecordPayload } from "../records/types.ts";

/**
 * Name a resolution was requested for: a full canonical ANS name, or the
 * version-less base name when the caller resolved a version range.
 */
export type ExpectedName = string | { base: string };

/**
 * Derives the base name (`protocol://agent.capability.provider`) of a record by
 * cutting `.v<version>` and anything after it from its canonical name. The
 * version label is found from the end, so a provider label such as `v1` does
 * not confuse it.
 */
export function recordBaseName(
	payload: EndpointRecordPayload,
): string | undefined {
	const name = payload.name.toLowerCase();
	const versionLabel = `.v${payload.version.toLowerCase()}`;
	let index = name.lastIndexOf(versionLabel);
	while (index > 0) {
		const next = name[index + versionLabel.length];
		if (next === undefined || next === ".") {
			return name.slice(0, index);
		}
		index = name.lastIndexOf(versionLabel, index - 1);
	}
	return undefined;
}

/**
 * Checks that the record is for the expected name. Only case is normalized,
 * so pass canonical names (full three-part version, as the registry writes
 * them).
 *
 * @throws AnsError `NAME_MISMATCH` (field `name`).
 */
export function checkExpectedName(
	payload: EndpointRecordPayload,
	expected: ExpectedName,
): string {
	if (typeof expected === "string") {
		if (payload.name.toLowerCase() !== expected.toLowerCase()) {
			throw new AnsError(
				"NAME_MISMATCH",
				`Record is for ${payload.name}, but ${expected} was requested. The resolver returned another agent's record, so do not use it.`,
				{ status: 400, field: "name" },
			);
		}
		return `record name equals ${expected}`;
	}

	const base = recordBaseName(payload);
	if (base === undefined) {
		throw new AnsError(
			"NAME_MISMATCH",
			`Record name ${payload.name} does not contain its version v${payload.version}, so its base name cannot be compared with ${expected.base}.`,
			{ status: 400, field: "name" },
		);
	}
	if (base !== expected.base.toLowerCase()) {
		throw new AnsError(
			"NAME_MISMATCH",
			`Record is for ${payload.name} (base name ${base}), but a version of ${expected.base} was requested. The resolver returned another agent's record, so do not use it.`,
			{ status: 400, field: "name" },
		);
	}
	return `record base name equals ${expected.base}`;
}
