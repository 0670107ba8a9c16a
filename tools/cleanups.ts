/**
 * What a long-running script (`npm run demo`, `npm run dev`) started, stopped in reverse order,
 * each step once: on Ctrl-C, on SIGTERM, or when the script fails.
 */
export class Cleanups {
	private readonly steps: Array<() => Promise<void>> = [];

	add(step: () => Promise<void>): void {
		this.steps.push(step);
	}

	/** Runs every step, the newest first; a failing step does not keep the others from running. */
	async runAll(): Promise<void> {
		for (const step of this.steps.splice(0).reverse()) await step().catch(() => undefined);
	}

	/** On Ctrl-C or SIGTERM: says so, stops everything and exits with status 0. */
	stopOnSignals(announce: () => void): () => Promise<void> {
		const stop = async () => {
			announce();
			await this.runAll();
			process.exit(0);
		};
		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
		return stop;
	}

	/** The script's failure: printed, everything stopped, exit status 1. */
	async failed(error: unknown): Promise<never> {
		console.error(error);
		await this.runAll();
		process.exit(1);
	}
}
