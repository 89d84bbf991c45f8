/**
 * Configuration of `npm start`: the control plane's settings, the edge
 * ports and the edge settings, all read from the environment and
 * validated before anything starts.
 *
 * @module
 */
import {
	type Config,
	loadConfig,
} from "../../control-plane/src/config/config.ts";
import {
	EDGE_SETTING_NAMES,
	parseEdgeSettings,
} from "../../edge-resolver/src/config/edge-config.ts";

/** Validated configuration of the local stack. */
export interface StackConfig {
	controlPlane: Config;
	/** One edge per port, where 0 picks a free port. */
	edgePorts: number[];
	/** Edge settings given in the environment, passed to every edge as bindings. */
	edgeSettings: Record<string, string>;
}

/**
 * Reads and validates the stack configuration from `env`.
 *
 * @throws Error naming every invalid variable of the first part that
 * fails: the control plane's settings, then `ANS_EDGE_PORTS`, then the
 * edge settings.
 */
export function readStackConfig(
	env: Record<string, string | undefined> = process.env,
): StackConfig {
	const controlPlane = loadConfig(env);
	const edgePorts = parseEdgePorts(env.ANS_EDGE_PORTS ?? "8787,8788");
	const edgeSettings: Record<string, string> = {};
	for (const name of EDGE_SETTING_NAMES) {
		const value = env[name];
		if (value !== undefined) {
			edgeSettings[name] = value;
		}
	}
	// The edges would start with invalid settings and then reject every
	// request, so the launcher checks them with the edge's own parser.
	parseEdgeSettings(edgeSettings);
	return { controlPlane, edgePorts, edgeSettings };
}

/**
 * Parses `ANS_EDGE_PORTS`, a comma-separated list of ports.
 *
 * @throws Error unless the list has at least one port and every port is
 * an integer from 0 to 65535.
 */
export function parseEdgePorts(value: string): number[] {
	const ports = value
		.split(",")
		.map((part) => part.trim())
		.filter((part) => part !== "")
		.map(Number);
	const invalid = ports.find(
		(port) => !Number.isInteger(port) || port < 0 || port > 65535,
	);
	if (ports.length === 0 || invalid !== undefined) {
		throw new Error(
			`invalid configuration: ANS_EDGE_PORTS ${JSON.stringify(value)} must list ports from 0 to 65535, e.g. 8787,8788`,
		);
	}
	return ports;
}
