import type { AnsBaseName, AnsName } from "./types.ts";

/**
 * Formats the canonical form of a name: every part lowercase and the full
 * three-part version, as in
 * `a2a://textprocessor.documenttranslation.acmecorp.v2.1.0.hipaa`.
 * Two names are the same name exactly when their canonical forms are equal.
 * Expects a name returned by parseName, and does not validate it again.
 */
export function formatName(name: AnsName): string {
	const base = formatBaseName(name);
	const extension =
		name.extension === undefined ? "" : `.${name.extension.toLowerCase()}`;
	return `${base}.v${name.version.toLowerCase()}${extension}`;
}

/**
 * Formats a name in display case with the version as written, as in
 * `a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa`. The protocol
 * and the `v` before the version are always lowercase.
 */
export function formatDisplayName(name: AnsName): string {
	const extension = name.extension === undefined ? "" : `.${name.extension}`;
	return `${name.protocol.toLowerCase()}://${name.agentId}.${name.capability}.${name.provider}.v${name.versionText}${extension}`;
}

/**
 * Formats the canonical, lowercase base name, as in
 * `a2a://textprocessor.documenttranslation.acmecorp`. It is the identity key
 * shared by all versions of one agent.
 */
export function formatBaseName(base: AnsBaseName): string {
	const parts = [base.agentId, base.capability, base.provider];
	return `${base.protocol.toLowerCase()}://${parts.join(".").toLowerCase()}`;
}
