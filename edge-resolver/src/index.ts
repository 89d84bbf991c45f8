/**
 * Entry point of the edge resolver worker: the HTTP app and the replica
 * Durable Object class that wrangler.toml and the workerd config bind as
 * `REPLICA`.
 *
 * @module
 */
import { createEdgeApp } from "./http/app.ts";

export { EdgeReplica } from "./replica/edge-replica.ts";

export default createEdgeApp();
