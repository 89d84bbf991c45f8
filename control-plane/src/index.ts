/**
 * The control plane as a library: load configuration and start it.
 *
 * @module
 */
export { type Config, loadConfig } from "./config/config.ts";
export {
	type RunningControlPlane,
	type StartOptions,
	startControlPlane,
} from "./server.ts";
