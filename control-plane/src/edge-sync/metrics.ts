import { Counter, Gauge, type Registry } from "prom-client";
import type { EdgeSync } from "./edge-sync.ts";

/**
 * Registers the per-edge push metrics in `registry`. Values are read from
 * `edgeSync` at scrape time, so they are never older than the scrape.
 */
export function registerEdgeSyncMetrics(
	registry: Registry,
	edgeSync: EdgeSync,
): void {
	new Gauge({
		name: "ans_edge_push_sequences_behind",
		help: "Committed changes an edge has not acknowledged yet",
		labelNames: ["edge"],
		registers: [registry],
		collect() {
			this.reset();
			for (const edge of edgeSync.status()) {
				this.set({ edge: edge.id }, edge.sequencesBehind);
			}
		},
	});
	new Gauge({
		name: "ans_edge_push_lag_seconds",
		help: "Seconds since the oldest change an edge has not acknowledged was committed; 0 when caught up",
		labelNames: ["edge"],
		registers: [registry],
		collect() {
			this.reset();
			for (const edge of edgeSync.status()) {
				this.set({ edge: edge.id }, edge.lagSeconds);
			}
		},
	});
	new Gauge({
		name: "ans_edge_push_acknowledged_sequence",
		help: "Highest change sequence an edge confirmed it applied",
		labelNames: ["edge"],
		registers: [registry],
		collect() {
			this.reset();
			for (const edge of edgeSync.status()) {
				this.set({ edge: edge.id }, edge.acknowledgedSeq);
			}
		},
	});
	new Counter({
		name: "ans_edge_pushes_total",
		help: "Pushes sent to an edge, by result (ok, replayed, failed)",
		labelNames: ["edge", "result"],
		registers: [registry],
		collect() {
			this.reset();
			for (const edge of edgeSync.status()) {
				for (const [result, count] of Object.entries(edge.pushes)) {
					this.inc({ edge: edge.id, result }, count);
				}
			}
		},
	});
}
