import {
	childPointer,
	DocumentReader,
	describeJsonType,
	type JsonObject,
	quoteValue,
} from "../document-reader.ts";
import { checkImageReference } from "../image-reference.ts";
import type { ValidationIssue } from "../types.ts";

/** Locator types whose URLs name a container image; the adapter turns them into package locators. */
export const IMAGE_LOCATOR_TYPES: ReadonlySet<string> = new Set([
	"docker_image",
	"container_image",
]);

/** RFC 3339 date-time; OASF also shows a space instead of `T`. */
const RFC3339 =
	/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Content identifiers: CIDv0 (base58btc, `Qm…`) or CIDv1 in the multibase
 * encodings base32 (`b`), base36 (`k`), base58btc (`z`) or base16 (`f`). Any CID with a SHA-256 multihash has at least 46
 * characters, so shorter strings are rejected.
 */
const CID_PATTERNS = [
	/^Qm[1-9A-HJ-NP-Za-km-z]{44}$/,
	/^b[a-z2-7]{45,}$/,
	/^k[0-9a-z]{45,}$/,
	/^z[1-9A-HJ-NP-Za-km-z]{45,}$/,
	/^f[0-9a-f]{45,}$/,
];

/**
 * Checks an OASF record (schema versions 0.7 to 1.1) and returns its
 * issues. Required: `name`, `version`, `schema_version`, `description` (may
 * be empty) and `skills`, each skill with a `name`. OASF also requires
 * `authors` and `created_at`, but records that embed only an MCP server
 * omit them and ANS does not need them, so they are checked only when
 * present.
 */
export function validateOasfRecord(metadata: unknown): ValidationIssue[] {
	const reader = new DocumentReader();
	const record = reader.object(metadata, "");
	if (record === undefined) {
		return reader.issues;
	}

	reader.requiredString(record, "name", "");
	reader.requiredString(record, "version", "");
	reader.requiredString(record, "schema_version", "");
	reader.requiredString(record, "description", "", { allowEmpty: true });
	reader.stringArray(record, "authors", "", { required: false });
	const createdAt = reader.optionalString(record, "created_at", "");
	if (createdAt !== undefined && !RFC3339.test(createdAt)) {
		reader.report(
			"/created_at",
			"VALUE_INVALID",
			`must be an RFC 3339 date-time such as "2025-03-19T17:06:37Z", but it is ${quoteValue(createdAt)}`,
		);
	}
	reader.optionalObject(record, "annotations", "");

	readNamedItems(reader, record, "skills", { required: true });
	readNamedItems(reader, record, "domains", { required: false });
	readNamedItems(reader, record, "modules", { required: false });
	readLocators(reader, record);

	const previous = reader.optionalString(record, "previous_record_cid", "");
	if (
		previous !== undefined &&
		!CID_PATTERNS.some((pattern) => pattern.test(previous))
	) {
		reader.report(
			"/previous_record_cid",
			"VALUE_INVALID",
			`must be the content identifier (CID) of the previous record, such as "baeareia…", but it is ${quoteValue(previous)}`,
		);
	}
	reader.optionalObject(record, "signature", "");
	return reader.issues;
}

/** Skills, domains and modules: objects with a `name` and an optional integer taxonomy `id`. */
function readNamedItems(
	reader: DocumentReader,
	record: JsonObject,
	key: string,
	options: { required: boolean },
): void {
	const items = options.required
		? reader.requiredArray(record, key, "")
		: reader.optionalArray(record, key, "");
	items?.forEach((value, index) => {
		const pointer = childPointer(`/${key}`, index);
		const item = reader.object(value, pointer);
		if (item === undefined) {
			return;
		}
		reader.requiredString(item, "name", pointer);
		const id = item.id;
		if (id !== undefined && id !== null && !Number.isSafeInteger(id)) {
			reader.report(
				`${pointer}/id`,
				"TYPE_MISMATCH",
				`must be an integer taxonomy id, but it is ${describeJsonType(id)}`,
			);
		}
		reader.optionalObject(item, "data", pointer);
	});
}

function readLocators(reader: DocumentReader, record: JsonObject): void {
	const locators = reader.optionalArray(record, "locators", "");
	locators?.forEach((value, index) => {
		const pointer = childPointer("/locators", index);
		const locator = reader.object(value, pointer);
		if (locator === undefined) {
			return;
		}
		const type = reader.requiredString(locator, "type", pointer);
		// Schema 0.7 and 0.8 write one `url`; 1.x writes a `urls` array.
		const url = reader.optionalString(locator, "url", pointer);
		const urls = reader.stringArray(locator, "urls", pointer, {
			required: false,
		});
		if (url === undefined && urls === undefined) {
			reader.report(
				`${pointer}/url`,
				"FIELD_MISSING",
				'is missing; a locator needs "url" or "urls"',
			);
		}
		if (type !== undefined && IMAGE_LOCATOR_TYPES.has(type)) {
			checkImageReference(reader, url, `${pointer}/url`);
			urls?.forEach((image, urlIndex) => {
				checkImageReference(reader, image, `${pointer}/urls/${urlIndex}`);
			});
		}
	});
}
