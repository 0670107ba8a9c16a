import type { Clock } from './clock';

/**
 * Spaces requests evenly so that no more than `ratePerSecond` start in any one-second window.
 * The spacing carries a 2.5% margin (25 ms a second) so that small differences in network
 * delay do not let a receiver see one request too many in a second. Waiters are served first come, first served.
 */
export class RateLimiter {
	private nextFree = 0;

	constructor(
		private readonly ratePerSecond: number,
		private readonly clock: Clock,
	) {}

	/** Resolves when the caller may send. */
	async acquire(): Promise<void> {
		if (this.ratePerSecond <= 0) return;
		const interval = (1000 * 1.025) / this.ratePerSecond;
		const now = this.clock.now();
		const slot = Math.max(now, this.nextFree);
		this.nextFree = slot + interval;
		if (slot > now) await this.clock.sleep(slot - now);
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
