/**
 * Edge synchronization: the edge list, the push keys, one pusher per edge
 * with backoff and lag reporting, and the routes that expose them.
 *
 * @module
 */
export { type EdgeTarget, parseEdgeList } from "./edge-list.ts";
export { EdgePusher, type EdgePushStatus, retryDelay } from "./edge-pusher.ts";
export { EdgeSync, type EdgeSyncOptions } from "./edge-sync.ts";
export { registerEdgeSyncMetrics } from "./metrics.ts";
export { PushKeys } from "./push-keys.ts";
export { PUSH_JWS_TYPE, signPush } from "./push-token.ts";
export { mountEdgeSyncRoutes } from "./routes.ts";
