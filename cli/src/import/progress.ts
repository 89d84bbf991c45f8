/**
 * A one-line counter on stderr, such as `registering 120/358`, redrawn in
 * place with `\r`. It writes only when stderr is a terminal, so logs and
 * pipes get no partial lines.
 */
export class ProgressLine {
	readonly #stream: NodeJS.WriteStream;
	readonly #enabled: boolean;
	#label = "";
	#total = 0;
	#done = 0;

	constructor(stream: NodeJS.WriteStream = process.stderr, enabled = true) {
		this.#stream = stream;
		this.#enabled = enabled && stream.isTTY === true;
	}

	/** Starts counting a new phase of `total` steps. */
	start(label: string, total: number): void {
		this.#label = label;
		this.#total = total;
		this.#done = 0;
		this.#draw();
	}

	/** Counts one finished step. */
	tick(): void {
		this.#done++;
		this.#draw();
	}

	/** Ends the line, so later output starts on a fresh line. */
	finish(): void {
		if (this.#enabled && this.#label !== "") {
			this.#stream.write("\n");
		}
		this.#label = "";
	}

	#draw(): void {
		if (this.#enabled) {
			this.#stream.write(`\r${this.#label} ${this.#done}/${this.#total}`);
		}
	}
}
