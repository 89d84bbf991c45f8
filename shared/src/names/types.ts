/**
 * A parsed, versioned ANS name such as
 * `a2a://textProcessor.DocumentTranslation.AcmeCorp.v2.1.hipaa`.
 *
 * Identity is case-insensitive: {@link formatName} lowercases every part, so
 * two names that differ only in case have the same canonical form.
 */
export interface AnsName {
	/** Protocol before `://`, lowercase (for example `a2a` or `mcp`). */
	protocol: string;
	/** Agent label in display case, as written. */
	agentId: string;
	/** Capability label in display case, as written. */
	capability: string;
	/** Provider label in display case, as written. */
	provider: string;
	/** Full semantic version in canonical lowercase form, such as `2.1.0` or `1.0.0-rc.1`. */
	version: string;
	/** Version as written, without the leading `v`, such as `2.1` or `1.0.0-RC.1`. */
	versionText: string;
	/** Optional extension label in display case, such as `hipaa`. */
	extension?: string;
}

/**
 * The version-less part of an ANS name, `protocol://agentId.capability.provider`.
 * Its canonical form is the identity key shared by all versions of one agent.
 */
export interface AnsBaseName {
	/** Protocol before `://`, lowercase. */
	protocol: string;
	/** Agent label in display case. */
	agentId: string;
	/** Capability label in display case. */
	capability: string;
	/** Provider label in display case. */
	provider: string;
}

/** Maximum length of a whole name, both as written and in canonical form. */
export const MAX_NAME_LENGTH = 255;

/** Maximum length of one label (agentId, capability, provider or extension). */
export const MAX_LABEL_LENGTH = 63;

/** Maximum length of the protocol. */
export const MAX_PROTOCOL_LENGTH = 16;

/**
 * Maximum digits in one version number. Matches semver's
 * MAX_SAFE_COMPONENT_LENGTH, the digit count of Number.MAX_SAFE_INTEGER.
 */
export const MAX_VERSION_DIGITS = 16;
