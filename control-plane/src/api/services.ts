import type { ChangeEvent } from "@ans/shared/change-feed";
import type { Registry } from "prom-client";
import type { CertificateAuthority } from "../certificates/index.ts";
import type { Config } from "../config/config.ts";
import type { EdgeSync, PushKeys } from "../edge-sync/index.ts";
import type { Logger } from "../logging/logger.ts";
import type { MaintenanceOptions } from "../maintenance/job.ts";
import type { PublishContext } from "../publication/publisher.ts";
import type { Revocation } from "../revocation/index.ts";
import type { SigningKeys } from "../signing-keys/signing-keys.ts";
import type { Store } from "../storage/types.ts";

/** Everything the routes use, created once at start. */
export interface Services {
	config: Config;
	logger: Logger;
	store: Store;
	ca: CertificateAuthority;
	signingKeys: SigningKeys;
	publish: PublishContext;
	/** CRLs, the OCSP responder and the certificate validation cache. */
	revocation: Revocation;
	/** Keys that sign pushes to edges. */
	pushKeys: PushKeys;
	/** Pushes committed changes to the edges in `config.edges`. */
	edgeSync: EdgeSync;
	/** Prometheus registry served at `GET /metrics`. */
	metrics: Registry;
	/** SHA-256 hex of the admin token. */
	adminTokenHash: string;
	/** Settings of the periodic maintenance run, also used to run it on demand. */
	maintenance: MaintenanceOptions;
	/** Time the service finished starting, epoch ms; undefined while starting. */
	startedAt: number | undefined;
	/** Receives every committed change, after commit. */
	onChange(event: ChangeEvent): void;
	/** Receives the serial of every certificate revoked, after commit. */
	onCertificateRevoked(serial: string): void;
	/** Adds listeners for {@link onChange} and {@link onCertificateRevoked}. */
	listen(listeners: {
		change?: (event: ChangeEvent) => void;
		certificateRevoked?: (serial: string) => void;
	}): void;
}
