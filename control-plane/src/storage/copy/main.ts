/**
 * `npm run db:copy -- --from <libsql url> --to <postgres url> [--force]
 * [--verify-only]`: copies the SQLite primary database into PostgreSQL,
 * verifies the copy and prints a JSON report. Exit status 0 when every
 * table matches, 1 on a mismatch, 2 when the copy could not run.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { isAnsError } from "@ans/shared/errors";
import { copyDatabase } from "./copy-database.ts";

const usage = `Usage: npm run db:copy -- --from <libsql url> --to <postgres url> [--force] [--verify-only]

  --from URL       source libSQL database, for example file:data/ans.db
  --to URL         target PostgreSQL database, postgres://user@host:5432/db
                   (add ?options=-c%20search_path%3Dname for a schema other than public)
  --force          replace the rows of a target that already has data
  --verify-only    compare the two databases without copying
  --help           print this text`;

async function main(argv: string[]): Promise<number> {
	let values: ReturnType<typeof parse>["values"];
	try {
		values = parse(argv).values;
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
		return 2;
	}
	if (values.help === true) {
		process.stdout.write(`${usage}\n`);
		return 0;
	}
	if (values.from === undefined || values.to === undefined) {
		process.stderr.write(`--from and --to are required\n\n${usage}\n`);
		return 2;
	}
	try {
		const report = await copyDatabase({
			from: values.from,
			to: values.to,
			force: values.force === true,
			verifyOnly: values["verify-only"] === true,
		});
		process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
		return report.ok ? 0 : 1;
	} catch (error) {
		const body = isAnsError(error)
			? error.toBody()
			: { error: { code: "COPY_FAILED", message: (error as Error).message } };
		process.stderr.write(`${JSON.stringify(body)}\n`);
		return 2;
	}
}

function parse(argv: string[]) {
	return parseArgs({
		args: argv,
		options: {
			from: { type: "string" },
			to: { type: "string" },
			force: { type: "boolean" },
			"verify-only": { type: "boolean" },
			help: { type: "boolean" },
		},
		strict: true,
		allowPositionals: false,
	});
}

process.exitCode = await main(process.argv.slice(2));
