/**
 * ANS names: `protocol://agentId.capability.provider.v<version>[.<extension>]`.
 * The grammar, with examples, is in docs/names.md.
 *
 * @module
 */

export {
	formatBaseName,
	formatDisplayName,
	formatName,
} from "./format.ts";
export { parseBaseName, parseName, parseNameOrBase } from "./parse.ts";
export {
	type AnsBaseName,
	type AnsName,
	MAX_LABEL_LENGTH,
	MAX_NAME_LENGTH,
	MAX_PROTOCOL_LENGTH,
	MAX_VERSION_DIGITS,
} from "./types.ts";
