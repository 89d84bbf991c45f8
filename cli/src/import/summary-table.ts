import type { ImportSummary } from "./run-import.ts";

/**
 * Renders a summary as plain-text tables for a terminal: the counts with
 * the skips per reason, the time taken, one row per verifying resolver,
 * and then every skipped or failed entry with its reason.
 */
export function formatSummaryTable(summary: ImportSummary): string {
	const lines: string[] = [];
	const counts: [string, string][] = [
		["entries", String(summary.entries)],
		["imported", String(summary.imported)],
		["already registered", String(summary.alreadyRegistered)],
		["skipped", String(summary.skipped)],
		...Object.entries(summary.skippedByReason).map(
			([reason, count]): [string, string] => [`  ${reason}`, String(count)],
		),
		["failed", String(summary.failed)],
		["time", `${summary.seconds.toFixed(2)} s`],
		["imported per second", summary.agentsPerSecond.toFixed(1)],
	];
	lines.push(
		`ans import ${summary.protocol} into ${summary.controlPlane}`,
		...table(["", "count"], counts),
	);

	if (summary.verification.length > 0) {
		lines.push(
			"",
			...table(
				["verified through", "verified", "failed", "time"],
				summary.verification.map((entry) => [
					entry.url,
					String(entry.verified),
					String(entry.failed),
					`${entry.seconds.toFixed(2)} s`,
				]),
			),
		);
		for (const entry of summary.verification) {
			for (const failure of entry.failures) {
				lines.push(
					`verification failed through ${entry.url}: ${failure.name}: ${failure.code}: ${failure.message}`,
				);
			}
		}
	}

	const problems = summary.results.filter(
		(result) => result.status === "skipped" || result.status === "failed",
	);
	if (problems.length > 0) {
		lines.push(
			"",
			...table(
				["entry", "reason", "detail"],
				problems.map((result) => [
					result.source,
					result.reason ?? result.status,
					result.message ?? "",
				]),
			),
		);
	}
	return `${lines.join("\n")}\n`;
}

/** Left-aligns columns; the last column is not padded, so long messages do not widen the others. */
function table(header: string[], rows: string[][]): string[] {
	const last = header.length - 1;
	const widths = header.map((title, column) =>
		column === last
			? title.length
			: Math.max(
					title.length,
					...rows.map((row) => (row[column] ?? "").length),
				),
	);
	const render = (cells: string[]) =>
		cells
			.map((cell, column) =>
				column === last ? cell : cell.padEnd(widths[column] ?? 0),
			)
			.join("  ")
			.trimEnd();
	return [
		render(header),
		render(widths.map((width) => "-".repeat(width))),
		...rows.map(render),
	];
}
