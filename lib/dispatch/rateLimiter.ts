import type { Clock } from './clock';

/** Receivers count requests per second by arrival: a 2.5% margin absorbs network jitter. */
const WINDOW_MS = 1000 * 1.025;

/**
 * What the delivery engine waits on before each attempt: this process's limiter, or one
 * shared through Redis (lib/redis). `acquire` may throw when the limit cannot be applied.
 */
export interface Limiter {
	/**
	 * Resolves true when the caller may send; false, without taking a slot, when the caller's
	 * turn would come after `notAfter` (epoch ms).
	 */
	acquire(notAfter?: number): Promise<boolean>;
}

/**
 * Lets at most `ratePerSecond` requests start in any one-second window by spacing starts at
 * least 1/rate apart. Slots are granted one caller at a time (first come, first served), and
 * the spacing is measured from the moment the previous caller actually woke, not from when it
 * was scheduled: after a stalled event loop the waiters keep their spacing instead of starting
 * together.
 */
export class RateLimiter implements Limiter {
	private lastStart = Number.NEGATIVE_INFINITY;
	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly ratePerSecond: number,
		private readonly clock: Clock,
	) {}

	/**
	 * Resolves true when the caller may send; false, without taking a slot, when the caller's
	 * turn would come after `notAfter` (epoch ms).
	 */
	async acquire(notAfter = Number.POSITIVE_INFINITY): Promise<boolean> {
		if (this.ratePerSecond <= 0) return true;
		const granted = this.queue.then(() => this.waitForSlot(notAfter));
		this.queue = granted;
		return await granted;
	}

	private async waitForSlot(notAfter: number): Promise<boolean> {
		const spacing = WINDOW_MS / this.ratePerSecond;
		if (Math.max(this.clock.now(), this.lastStart + spacing) > notAfter) return false;
		for (let now = this.clock.now(); now < this.lastStart + spacing; now = this.clock.now()) {
			await this.clock.sleep(this.lastStart + spacing - now);
		}
		this.lastStart = this.clock.now();
		return true;
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
