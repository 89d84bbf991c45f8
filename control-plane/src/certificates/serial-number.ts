import { AnsError } from "@ans/shared/errors";

/** Serial number size in bytes. With the top bit cleared, 127 bits are random. */
const SERIAL_BYTES = 16;

/**
 * Maximum number of draws. An all-zero draw has probability 2^-127, so even a
 * second draw means the random number generator is broken.
 */
const MAX_DRAWS = 4;

/**
 * Generates a random certificate serial number as lowercase hex: 16 random
 * bytes with the top bit cleared, so the DER INTEGER is positive without a
 * padding byte, and never zero (RFC 5280, 4.1.2.2).
 */
export function generateSerialNumber(): string {
	for (let draw = 0; draw < MAX_DRAWS; draw++) {
		const bytes = crypto.getRandomValues(new Uint8Array(SERIAL_BYTES));
		bytes[0] = (bytes[0] ?? 0) & 0x7f;
		if (bytes.some((byte) => byte !== 0)) {
			return Buffer.from(bytes).toString("hex");
		}
	}
	throw new AnsError(
		"CA_RANDOM_FAILED",
		`the random number generator returned ${MAX_DRAWS} all-zero serial numbers; check the system's entropy source`,
		{ status: 500 },
	);
}
