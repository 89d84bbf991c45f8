import { objectItems, objectMember, textMember } from "../description.ts";
import { isJsonObject, type JsonObject } from "../document-reader.ts";

/** One JWS signature of an A2A agent card, in JWS JSON serialization parts. */
export interface AgentCardSignature {
	/** Index in the card's `signatures` array. */
	index: number;
	/** Base64url protected header, as in the card. */
	protected: string;
	/** Base64url signature, as in the card. */
	signature: string;
	/** Unprotected header, when the card has one. */
	header?: JsonObject;
	/** The protected header decoded, or undefined when it is not base64url JSON. */
	protectedHeader?: JsonObject;
}

/**
 * Lists the JWS signatures of an A2A agent card with their protected
 * headers decoded, so a client can find the signing key (`kid`, `jku`).
 * The signatures are not verified here.
 */
export function readAgentCardSignatures(
	metadata: unknown,
): AgentCardSignature[] {
	const card = isJsonObject(metadata) ? metadata : {};
	const signatures: AgentCardSignature[] = [];
	for (const [entry, index] of objectItems(card, "signatures")) {
		const protectedText = textMember(entry, "protected");
		const signature = textMember(entry, "signature");
		if (protectedText === undefined || signature === undefined) {
			continue;
		}
		const read: AgentCardSignature = {
			index,
			protected: protectedText,
			signature,
		};
		const header = objectMember(entry, "header");
		if (header !== undefined) {
			read.header = header;
		}
		const decoded = decodeProtectedHeader(protectedText);
		if (decoded !== undefined) {
			read.protectedHeader = decoded;
		}
		signatures.push(read);
	}
	return signatures;
}

function decodeProtectedHeader(encoded: string): JsonObject | undefined {
	if (!/^[A-Za-z0-9_-]+$/.test(encoded)) {
		return undefined;
	}
	try {
		const base64 = encoded.replaceAll("-", "+").replaceAll("_", "/");
		const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
		const bytes = Uint8Array.from(binary, (character) =>
			character.charCodeAt(0),
		);
		const header: unknown = JSON.parse(
			new TextDecoder("utf-8", { fatal: true }).decode(bytes),
		);
		return isJsonObject(header) ? header : undefined;
	} catch {
		return undefined;
	}
}
