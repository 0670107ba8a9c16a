import type { Clock } from '../../lib/dispatch/clock';
import { RateLimiter } from '../../lib/dispatch/rateLimiter';

/**
 * Virtual time with real timer semantics: sleepers wake in due order, and a stall (a busy event
 * loop from `from` to `to`) makes every timer due inside it fire together at its end.
 */
class VirtualClock implements Clock {
	private time = 0;
	private readonly timers: Array<{ due: number; wake: () => void }> = [];

	constructor(private readonly stall?: { from: number; to: number }) {}

	now(): number {
		return this.time;
	}

	async sleep(ms: number): Promise<void> {
		let due = this.time + ms;
		if (this.stall && due >= this.stall.from && due < this.stall.to) due = this.stall.to;
		await new Promise<void>((wake) => this.timers.push({ due, wake }));
	}

	/** Runs until `work` settles, moving time to each next timer once nothing else can run. */
	async drive<T>(work: Promise<T>): Promise<T> {
		let done = false;
		const result = work.finally(() => (done = true));
		while (!done) {
			await new Promise((resolve) => setImmediate(resolve));
			if (this.timers.length === 0) continue;
			this.timers.sort((a, b) => a.due - b.due);
			const due = this.timers[0].due;
			this.time = Math.max(this.time, due);
			for (const timer of this.timers.splice(0, this.timers.filter((t) => t.due === due).length)) timer.wake();
		}
		return await result;
	}
}

function maxInAnyWindow(starts: number[], windowMs: number): number {
	return Math.max(...starts.map((from) => starts.filter((t) => t >= from && t < from + windowMs).length));
}

/** `count` callers ask at once; each records the time it was let through. */
async function startTimes(limiter: RateLimiter, clock: VirtualClock, count: number): Promise<number[]> {
	const starts: number[] = [];
	await clock.drive(
		Promise.all(
			Array.from({ length: count }, async () => {
				await limiter.acquire();
				starts.push(clock.now());
			}),
		),
	);
	return starts;
}

describe('RateLimiter', () => {
	it('starts no more than the rate in any one-second window', async () => {
		const clock = new VirtualClock();
		const starts = await startTimes(new RateLimiter(20, clock), clock, 60);
		expect(starts).toHaveLength(60);
		expect(maxInAnyWindow(starts, 1000)).toBe(20);
	});

	it('keeps the spacing after a stalled event loop instead of letting waiters start together', async () => {
		const clock = new VirtualClock({ from: 300, to: 700 });
		const starts = await startTimes(new RateLimiter(20, clock), clock, 60);
		const gaps = starts.slice(1).map((t, i) => t - starts[i]);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
		expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(20);
	});

	it('serves waiters in the order they asked', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(10, clock);
		const order: number[] = [];
		await clock.drive(Promise.all([0, 1, 2, 3].map(async (n) => { await limiter.acquire(); order.push(n); })));
		expect(order).toEqual([0, 1, 2, 3]);
	});

	it('does not wait at all without a limit', async () => {
		const clock = new VirtualClock();
		expect(new Set(await startTimes(new RateLimiter(0, clock), clock, 100))).toEqual(new Set([0]));
	});
});
