/**
 * What a node run delivered before it failed, kept in this process so that the next try of
 * the same run (n8n's Retry On Fail runs the node again in the same execution and process)
 * does not send those items again. Bounded: entries expire, and the oldest go first.
 */
export class RetryMemory<T> {
	private readonly runs = new Map<string, { keptAt: number; results: ReadonlyMap<string, T> }>();

	constructor(
		private readonly ttlMs = 60 * 60 * 1000,
		private readonly maxRuns = 1000,
		private readonly now: () => number = Date.now,
	) {}

	keep(runKey: string, results: ReadonlyMap<string, T>): void {
		this.runs.delete(runKey);
		this.runs.set(runKey, { keptAt: this.now(), results });
		this.evict();
	}

	recall(runKey: string): ReadonlyMap<string, T> | undefined {
		const run = this.runs.get(runKey);
		if (run && this.now() - run.keptAt <= this.ttlMs) return run.results;
		this.runs.delete(runKey);
		return undefined;
	}

	forget(runKey: string): void {
		this.runs.delete(runKey);
	}

	get size(): number {
		return this.runs.size;
	}

	private evict(): void {
		for (const [key, run] of this.runs) {
			if (this.runs.size <= this.maxRuns && this.now() - run.keptAt <= this.ttlMs) break;
			this.runs.delete(key);
		}
	}
}
