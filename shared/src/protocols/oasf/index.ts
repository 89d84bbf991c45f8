/**
 * The `oasf` protocol: AGNTCY Open Agentic Schema Framework records, as
 * the AGNTCY directory stores them.
 *
 * @module
 */

import {
	assignDefined,
	joinSearchText,
	objectItems,
	textItems,
	textMember,
	uniqueTexts,
} from "../description.ts";
import { isJsonObject } from "../document-reader.ts";
import { ociPackageUrl, parseOciReference } from "../package-url.ts";
import type {
	AgentDescription,
	ExtractedEndpoint,
	ProtocolAdapter,
} from "../types.ts";
import { IMAGE_LOCATOR_TYPES, validateOasfRecord } from "./validate.ts";

/**
 * Lists the image locators of a record as `oci` package locators, one per
 * URL. Other locator types (source code, helm charts, …) and the modules
 * are left in the metadata.
 */
function extractRecordEndpoints(metadata: unknown): ExtractedEndpoint[] {
	const record = isJsonObject(metadata) ? metadata : {};
	const extracted: ExtractedEndpoint[] = [];
	for (const [locator, index] of objectItems(record, "locators")) {
		const type = textMember(locator, "type");
		if (type === undefined || !IMAGE_LOCATOR_TYPES.has(type)) {
			continue;
		}
		const single = textMember(locator, "url");
		const images: [string, string][] =
			single === undefined
				? textItems(locator, "urls").map((url, urlIndex) => [
						url,
						`/locators/${index}/urls/${urlIndex}`,
					])
				: [[single, `/locators/${index}/url`]];
		for (const [image, pointer] of images) {
			const reference = parseOciReference(image);
			if (reference !== undefined) {
				extracted.push({
					kind: "package",
					pointer,
					endpoint: {
						protocol: "oasf",
						url: ociPackageUrl(reference),
						registryType: "oci",
						identifier: image,
					},
				});
			}
		}
	}
	return extracted;
}

/**
 * Describes the agent of a record. Capabilities are the skill names, which
 * are taxonomy paths such as
 * `natural_language_processing/natural_language_generation/text_completion`,
 * followed by the last segment of each path. The provider is the first
 * author.
 */
function describeRecord(metadata: unknown): AgentDescription {
	const record = isJsonObject(metadata) ? metadata : {};
	const skillNames = objectItems(record, "skills")
		.map(([skill]) => textMember(skill, "name"))
		.filter((name): name is string => name !== undefined);
	const name = textMember(record, "name");

	const description: AgentDescription = {
		capabilities: uniqueTexts([
			...skillNames,
			...skillNames.map((skill) => skill.split("/").pop()),
		]),
		searchText: joinSearchText([
			...skillNames,
			...objectItems(record, "domains").map(([domain]) => domain.name),
			...objectItems(record, "modules").map(([module]) => module.name),
		]),
	};
	assignDefined(description, {
		identifier: name,
		displayName: name,
		description: textMember(record, "description"),
		version: textMember(record, "version"),
		provider: textItems(record, "authors")[0],
	});
	return description;
}

/** Adapter for OASF records. */
export const oasfAdapter: ProtocolAdapter = {
	id: "oasf",
	documentName: "OASF record",
	validate: validateOasfRecord,
	extractEndpoints: extractRecordEndpoints,
	describe: describeRecord,
};
