/**
 * Loads @peculiar/x509 with the runtime's WebCrypto. Import this module
 * instead of "@peculiar/x509" directly, because the library needs the
 * `reflect-metadata` polyfill loaded before it and a crypto provider set once.
 *
 * @module
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
