import type { AnsName } from "@ans/shared/names";
import type { AgentDescription } from "@ans/shared/protocols";

/** The agent columns that discovery filters and searches, filled at registration. */
export interface AgentSearchFields {
	/** The document's description; "" when it has none. */
	description: string;
	/** JSON array: the name's capability label, then the adapter's capabilities, without case-insensitive repeats. */
	capabilitiesJson: string;
	/** Names that full-text search matches: the ANS display name, its labels split into words, and the document's identifier, title and provider. */
	searchNames: string;
	/** Skill text that full-text search matches. */
	searchSkills: string;
}

/** Builds the search columns of an agent from its name and its protocol adapter's description. */
export function agentSearchFields(
	name: AnsName,
	displayName: string,
	description: AgentDescription,
): AgentSearchFields {
	const labels = [name.agentId, name.capability, name.provider, name.extension];
	return {
		description: description.description ?? "",
		capabilitiesJson: JSON.stringify(
			uniqueIgnoringCase([name.capability, ...description.capabilities]),
		),
		searchNames: uniqueIgnoringCase([
			displayName,
			...labels.map((label) => (label === undefined ? "" : splitWords(label))),
			description.identifier ?? "",
			description.displayName ?? "",
			description.provider ?? "",
		]).join("\n"),
		searchSkills: description.searchText,
	};
}

/**
 * Separates the words of a camelCase or PascalCase label, so that
 * `DocumentTranslation` is found by "translation" as well.
 */
function splitWords(label: string): string {
	return label
		.replace(/([a-z0-9])([A-Z])/g, "$1 $2")
		.replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2");
}

function uniqueIgnoringCase(values: string[]): string[] {
	const seen = new Set<string>();
	const unique: string[] = [];
	for (const value of values) {
		const text = value.trim();
		const key = text.toLowerCase();
		if (text !== "" && !seen.has(key)) {
			seen.add(key);
			unique.push(text);
		}
	}
	return unique;
}
