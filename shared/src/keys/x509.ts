/**
 * `@peculiar/x509` configured with the platform's WebCrypto.
 *
 * Import x509 from here, never from the package directly. The package
 * resolves its algorithms through tsyringe, which needs the Reflect metadata
 * polyfill loaded first. Calls without an explicit crypto argument use the
 * default provider set here.
 *
 * @module
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
