import type { Clock } from './clock';

/**
 * Spaces requests so that no more than `ratePerSecond` start in any one-second window. Each
 * start comes at least one interval after the previous one actually started (not after when
 * it was planned to), so a waiter that wakes late cannot bunch the next ones up. The spacing
 * carries a 2.5% margin (25 ms a second) so that small differences in network delay do not
 * let a receiver see one request too many in a second. Waiters are served first come, first served.
 */
export class RateLimiter {
	private lastStart = -Infinity;
	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly ratePerSecond: number,
		private readonly clock: Clock,
	) {}

	/**
	 * Resolves true when the caller may send; false, without taking a slot, when the caller's
	 * turn would come after `notAfter` (epoch ms).
	 */
	async acquire(notAfter = Infinity): Promise<boolean> {
		if (this.ratePerSecond <= 0) return true;
		const interval = (1000 * 1.025) / this.ratePerSecond;
		const turn = this.queue.then(async () => {
			const now = this.clock.now();
			const slot = Math.max(now, this.lastStart + interval);
			if (slot > notAfter) return false;
			if (slot > now) await this.clock.sleep(slot - now);
			this.lastStart = this.clock.now();
			return true;
		});
		this.queue = turn;
		return await turn;
	}
}

/** One limiter per key (an integration credential) and rate, shared by everything in the process. */
export class RateLimiterRegistry {
	private readonly limiters = new Map<string, RateLimiter>();

	get(key: string, ratePerSecond: number, clock: Clock): RateLimiter {
		const id = `${key}@${ratePerSecond}`;
		let limiter = this.limiters.get(id);
		if (!limiter) {
			limiter = new RateLimiter(ratePerSecond, clock);
			this.limiters.set(id, limiter);
		}
		return limiter;
	}
}
