/**
 * Starts the control plane: storage, CA, signing keys, HTTP server and
 * background jobs, in that order; {@link RunningControlPlane.close} stops
 * them in reverse.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { ChangeEvent } from "@ans/shared/change-feed";
import { type ServerType, serve } from "@hono/node-server";
import { Registry } from "prom-client";
import { createApp } from "./api/app.ts";
import type { Services } from "./api/services.ts";
import { loadOrCreateAdminToken } from "./auth/admin-token.ts";
import { CertificateAuthority } from "./certificates/index.ts";
import type { Config } from "./config/config.ts";
import {
	EdgeSync,
	PushKeys,
	registerEdgeSyncMetrics,
} from "./edge-sync/index.ts";
import { createLogger, type Logger } from "./logging/logger.ts";
import {
	type MaintenanceOptions,
	startMaintenance,
} from "./maintenance/job.ts";
import type { PublishContext } from "./publication/publisher.ts";
import { startRevocation } from "./revocation/index.ts";
import { SigningKeys } from "./signing-keys/signing-keys.ts";
import { openStore } from "./storage/open.ts";

/** A started control plane. */
export interface RunningControlPlane {
	/** Base URL it listens on, e.g. http://127.0.0.1:8080. */
	url: string;
	port: number;
	services: Services;
	/** Stops jobs, the HTTP server and the database, in that order. */
	close(): Promise<void>;
}

/** Options for tests and embedding. */
export interface StartOptions {
	logger?: Logger;
	/** Listen at all; false builds the services and app without a server. */
	listen?: boolean;
}

/** Starts a control plane with `config`. */
export async function startControlPlane(
	configured: Config,
	options: StartOptions = {},
): Promise<RunningControlPlane> {
	const logger = options.logger ?? createLogger(configured.logLevel);

	// The port is bound first so that with PORT=0 the public URL, which goes
	// into records and certificates, names the real port. Until the app is
	// ready every request gets 503.
	let handler: (request: Request) => Response | Promise<Response> = () =>
		Response.json(
			{ error: { code: "STARTING", message: "the control plane is starting" } },
			{ status: 503 },
		);
	let server: ServerType | undefined;
	let port = configured.port;
	if (options.listen !== false) {
		server = await listen(
			(request) => handler(request),
			configured.host,
			configured.port,
		);
		port = (server.address() as AddressInfo).port;
	}
	const config: Config =
		configured.port === 0 && configured.publicUrl.endsWith(":0")
			? {
					...configured,
					port,
					publicUrl: configured.publicUrl.replace(/:0$/, `:${port}`),
				}
			: configured;

	try {
		return await startServices(config, logger, server, port, (app) => {
			handler = app;
		});
	} catch (error) {
		server?.close();
		throw error;
	}
}

async function startServices(
	config: Config,
	logger: Logger,
	server: ServerType | undefined,
	port: number,
	serve: (fetch: (request: Request) => Response | Promise<Response>) => void,
): Promise<RunningControlPlane> {
	const store = openStore(config.databaseUrl, {
		poolMax: config.databasePoolMax,
		logger,
	});
	await store.migrate();

	const passphrase = config.keyPassphrase;
	const ca = await CertificateAuthority.open({
		dir: join(config.dataDir, "ca"),
		...(passphrase === undefined ? {} : { passphrase }),
		agentValidityDays: config.certificateValidityDays,
		publicBaseUrl: config.publicUrl,
		logger,
	});
	const signingKeys = await SigningKeys.open({
		store,
		dir: join(config.dataDir, "signing-keys"),
		passphrase,
		recordValiditySeconds: config.recordValiditySeconds,
	});
	const pushKeys = await PushKeys.open({
		dir: join(config.dataDir, "push-keys"),
		passphrase,
	});
	const edgeSync = await EdgeSync.start({
		store,
		logger,
		pushKeys,
		issuer: config.publicUrl,
		edges: config.edges,
	});
	const metrics = new Registry();
	registerEdgeSyncMetrics(metrics, edgeSync);
	const admin = loadOrCreateAdminToken(config.dataDir, config.adminToken);
	if (admin.created) {
		logger.warn(
			{ path: admin.path },
			"created an admin token; read it from this file (mode 0600)",
		);
	} else if (admin.path !== undefined) {
		logger.info(
			{ path: admin.path },
			"using the admin token stored in this file",
		);
	}

	const revocation = await startRevocation({ config, store, ca, logger });
	const changeListeners: ((event: ChangeEvent) => void)[] = [];
	const revocationListeners: ((serial: string) => void)[] = [];
	const onChange = (event: ChangeEvent) => {
		for (const listener of changeListeners) {
			listener(event);
		}
	};
	const onCertificateRevoked = (serial: string) => {
		for (const listener of revocationListeners) {
			listener(serial);
		}
	};
	const publish: PublishContext = {
		signer: signingKeys,
		issuer: config.publicUrl,
		chainFor: (issuerId) => ca.chainPem(issuerId),
	};
	const maintenance: MaintenanceOptions = {
		lifecycle: {
			store,
			ca,
			publish,
			allowLoopbackEndpoints: config.allowLoopbackEndpoints,
			onChange,
			onCertificateRevoked,
		},
		signingKeys,
		logger,
		recordValiditySeconds: config.recordValiditySeconds,
	};
	const services: Services = {
		config,
		logger,
		store,
		ca,
		signingKeys,
		publish,
		revocation,
		pushKeys,
		edgeSync,
		metrics,
		adminTokenHash: createHash("sha256")
			.update(admin.token, "utf8")
			.digest("hex"),
		startedAt: undefined,
		maintenance,
		onChange,
		onCertificateRevoked,
		listen: ({ change, certificateRevoked }) => {
			if (change !== undefined) {
				changeListeners.push(change);
			}
			if (certificateRevoked !== undefined) {
				revocationListeners.push(certificateRevoked);
			}
		},
	};
	services.listen({ change: (event) => edgeSync.notify(event) });
	services.listen({
		certificateRevoked: (serial) => revocation.onCertificateRevoked(serial),
	});
	const app = createApp(services);

	const stopMaintenance = startMaintenance(
		services.maintenance,
		Math.min(60_000, Math.floor((config.recordValiditySeconds * 1000) / 10)),
	);

	serve(app.fetch);
	const url = config.publicUrl;
	services.startedAt = Date.now();
	logger.info(
		{ url, database: store.dialect, dataDir: config.dataDir },
		"control plane started",
	);

	return {
		url,
		port,
		services,
		close: async () => {
			stopMaintenance();
			await edgeSync.close();
			if (server !== undefined) {
				await new Promise<void>((resolve) => server?.close(() => resolve()));
			}
			await revocation.close();
			await store.close();
			logger.info("control plane stopped");
		},
	};
}

function listen(
	fetch: (request: Request) => Response | Promise<Response>,
	hostname: string,
	port: number,
): Promise<ServerType> {
	return new Promise((resolve, reject) => {
		const server = serve({ fetch, hostname, port }, () => resolve(server));
		server.once("error", reject);
	});
}
