import {
	assignDefined,
	joinSearchText,
	objectItems,
	objectMember,
	textItems,
	textMember,
	uniqueTexts,
} from "../description.ts";
import { isJsonObject } from "../document-reader.ts";
import type { AgentDescription } from "../types.ts";

/**
 * Describes the agent of an A2A card. Capabilities are the skill ids
 * followed by the skill tags. The search text contains the skill names,
 * descriptions and tags.
 */
export function describeAgentCard(metadata: unknown): AgentDescription {
	const card = isJsonObject(metadata) ? metadata : {};
	const skills = objectItems(card, "skills").map(([skill]) => skill);
	const provider = objectMember(card, "provider");

	const description: AgentDescription = {
		capabilities: uniqueTexts([
			...skills.map((skill) => skill.id),
			...skills.flatMap((skill) => textItems(skill, "tags")),
		]),
		searchText: joinSearchText(
			skills.flatMap((skill) => [
				skill.name,
				skill.description,
				...textItems(skill, "tags"),
			]),
		),
	};
	const name = textMember(card, "name");
	assignDefined(description, {
		identifier: name,
		displayName: name,
		description: textMember(card, "description"),
		version: textMember(card, "version"),
		provider: textMember(provider, "organization"),
		providerUrl: textMember(provider, "url"),
	});
	return description;
}
