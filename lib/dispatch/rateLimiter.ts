import { NUMERIC_FIELDS } from '../numericFields';
import type { Clock } from './clock';
import { sleepUnlessStopped } from './stop';

/**
 * Receivers count requests per second by arrival: a 1 % margin absorbs the jitter between a
 * grant and the arrival (and keeps the achieved rate within 1 % of the limit).
 */
const WINDOW_MS = 1000 * 1.01;

/**
 * What the delivery engine waits on before each attempt: this process's limiter, or one
 * shared through Redis (lib/redis). `acquire` may throw when the limit cannot be applied.
 */
export interface Limiter {
	/**
	 * Resolves true when the caller may send; false, without taking a slot, when the caller's
	 * turn would come after `notAfter` (epoch ms), or once `signal` aborts (the execution was
	 * stopped): the caller then stops waiting and leaves its place to the next.
	 */
	acquire(notAfter?: number, signal?: AbortSignal): Promise<boolean>;
}

/**
 * Lets at most `ratePerSecond` requests start in any one-second window, evenly spaced, one
 * caller at a time (first come, first served). Three bounds on the next start:
 * - its slot on a schedule of one start every 1/rate, counted from the previous *slot*, not
 *   from when that caller actually woke: timers firing late do not slow the rate down;
 * - at least half a spacing after the previous actual start: after a stalled event loop the
 *   waiters catch up, but never start together;
 * - never more than `ratePerSecond` actual starts within one second (a ring of the last
 *   starts), whatever the timers did.
 */
export class RateLimiter implements Limiter {
	private lastSlot = Number.NEGATIVE_INFINITY;
	private lastStart = Number.NEGATIVE_INFINITY;
	/** The last `ratePerSecond` actual start times, oldest at `next`. */
	private readonly starts: number[];
	private next = 0;
	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly ratePerSecond: number,
		private readonly clock: Clock,
	) {
		// The ring is sized by the rate: never past the field's maximum, whatever a caller passes.
		const ringSize = Math.ceil(Math.min(ratePerSecond, NUMERIC_FIELDS.rateLimitPerSecond.max));
		this.starts = ratePerSecond > 0 ? new Array<number>(ringSize).fill(Number.NEGATIVE_INFINITY) : [];
	}

	/** See Limiter.acquire. */
	async acquire(notAfter = Number.POSITIVE_INFINITY, signal?: AbortSignal): Promise<boolean> {
		if (this.ratePerSecond <= 0) return true;
		const granted = this.queue.then(() => this.waitForSlot(notAfter, signal));
		this.queue = granted;
		return await granted;
	}

	private earliest(now: number, spacing: number): { slot: number; at: number } {
		// A caller late for its slot (a timer fired late, a busy event loop) may still take it,
		// up to one spacing or 25 ms behind: lateness then does not push the schedule back.
		const slot = this.lastSlot === Number.NEGATIVE_INFINITY ? now : Math.max(now - Math.max(spacing, 25), this.lastSlot + spacing);
		// The cap counts actual starts over the same 1 % longer window: a start seen up to 10 ms
		// after its grant (by the receiver, or in the attempt's startedAt) still never makes one
		// more in a second. Lateness then slows a ring turn by at most one late start.
		const at = Math.max(slot, this.lastStart + spacing / 2, this.starts[this.next] + WINDOW_MS);
		return { slot, at };
	}

	private async waitForSlot(notAfter: number, signal: AbortSignal | undefined): Promise<boolean> {
		if (signal?.aborted) return false;
		const spacing = WINDOW_MS / this.ratePerSecond;
		let { slot, at } = this.earliest(this.clock.now(), spacing);
		if (at > notAfter) return false;
		for (let now = this.clock.now(); now < at; now = this.clock.now()) {
			if (!(await sleepUnlessStopped(this.clock, at - now, signal))) return false;
			({ slot, at } = this.earliest(this.clock.now(), spacing));
		}
		const now = this.clock.now();
		this.lastSlot = slot;
		this.lastStart = now;
		this.starts[this.next] = now;
		this.next = (this.next + 1) % this.starts.length;
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
