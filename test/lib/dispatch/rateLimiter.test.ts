import { deliver, prepareRequest, RateLimiter, RateLimiterRegistry, type Clock } from '../../../lib/dispatch';
import { startReceiver, type LoopbackServer } from '../../../tools/httpServer';
import { FakeClock } from '../../support/fakeClock';
import { requestTemplate } from '../../support/requestTemplate';

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

	it('after a stalled event loop the waiters catch up, never together and never above the rate in a window', async () => {
		const clock = new VirtualClock({ from: 300, to: 700 });
		const starts = await startTimes(new RateLimiter(20, clock), clock, 60);
		const gaps = starts.slice(1).map((t, i) => t - starts[i]);
		// Half the spacing (1010 ms / 20 / 2) at the least.
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(25.25);
		expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(20);
	});

	it('after a stall, starts seen up to 9 ms after their grant still never make 21 in a second', async () => {
		const clock = new VirtualClock({ from: 300, to: 700 });
		const limiter = new RateLimiter(20, clock);
		const seen: number[] = [];
		await clock.drive(
			Promise.all(
				Array.from({ length: 60 }, async (_, n) => {
					await limiter.acquire();
					// As a receiver sees them: most at once, every third 9 ms on.
					seen.push(clock.now() + (n % 3 ? 0 : 9));
				}),
			),
		);
		expect(seen).toHaveLength(60);
		expect(maxInAnyWindow(seen, 1000)).toBeLessThanOrEqual(20);
	});

	it('late timers do not slow the rate down: the schedule counts from slots, not wake-ups', async () => {
		// A clock whose every sleep overshoots by 3 ms (a busy event loop, coarse timers).
		const clock = new VirtualClock();
		const late: Clock = { now: () => clock.now(), sleep: (ms) => clock.sleep(ms + 3) };
		const limiter = new RateLimiter(100, late);
		const starts: number[] = [];
		await clock.drive(
			Promise.all(
				Array.from({ length: 301 }, async () => {
					await limiter.acquire();
					starts.push(clock.now());
				}),
			),
		);
		const rate = ((starts.length - 1) / (starts.at(-1)! - starts[0])) * 1000;
		expect(rate).toBeGreaterThan(98);
		expect(rate).toBeLessThanOrEqual(100);
		expect(maxInAnyWindow(starts, 1000)).toBeLessThanOrEqual(100);
	});

	it('a caller woken late, by more than 25 ms but less than a spacing, does not push the schedule back', async () => {
		// 5/s: slots every 202 ms. The second caller's timer (due at 202) fires 58 ms late.
		const clock = new VirtualClock({ from: 200, to: 260 });
		const starts = await startTimes(new RateLimiter(5, clock), clock, 3);
		expect(starts).toEqual([0, 260, 404]);
	});

	it('serves waiters in the order they asked', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(10, clock);
		const order: number[] = [];
		await clock.drive(
			Promise.all(
				[0, 1, 2, 3].map(async (n) => {
					await limiter.acquire();
					order.push(n);
				}),
			),
		);
		expect(order).toEqual([0, 1, 2, 3]);
	});

	it('does not wait at all without a limit', async () => {
		const clock = new VirtualClock();
		expect(new Set(await startTimes(new RateLimiter(0, clock), clock, 100))).toEqual(new Set([0]));
	});
});

describe('RateLimiter with a deadline', () => {
	it('refuses, without taking the slot, a turn that would come after `notAfter`', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(1, clock);
		expect(await limiter.acquire()).toBe(true);
		expect(await limiter.acquire(1009)).toBe(false);
		expect(clock.now()).toBe(0);
		expect(await clock.drive(limiter.acquire(1010))).toBe(true);
		expect(clock.now()).toBe(1010);
	});

	it('a negative rate, like 0, means no limit', async () => {
		const clock = new VirtualClock();
		expect(new Set(await startTimes(new RateLimiter(-1, clock), clock, 10))).toEqual(new Set([0]));
	});

	it('without a limit, a deadline in the past still lets the caller through', async () => {
		const clock = new VirtualClock();
		expect(await new RateLimiter(0, clock).acquire(-1)).toBe(true);
	});

	it('the registry shares one limiter per key and rate', () => {
		const registry = new RateLimiterRegistry();
		const clock = new VirtualClock();
		expect(registry.get('a', 5, clock)).toBe(registry.get('a', 5, clock));
		expect(registry.get('a', 5, clock)).not.toBe(registry.get('b', 5, clock));
		expect(registry.get('a', 5, clock)).not.toBe(registry.get('a', 6, clock));
	});
});

describe('the retry window with a rate limit of 1/s', () => {
	const TX = 'tx-window';
	let receiver: LoopbackServer;
	afterEach(async () => receiver.close());

	/** A receiver answering 503 with the given Retry-After first, then 200. */
	async function busyOnce(retryAfter: string) {
		let calls = 0;
		receiver = await startReceiver(() => (calls++ === 0 ? { status: 503, headers: { 'retry-after': retryAfter } } : { status: 200, body: {} }));
	}
	const post = () => prepareRequest(requestTemplate({ rootUrl: receiver.url, body: '{"id": "${ WebhookRequest.TransactionalId }"}' }), {}, TX);
	const policy = (retryWindowMs: number) => ({ maxRetries: 3, retryWindowMs, timeoutMs: 5000, blockPrivateNetworks: false });

	it('queue time before the first attempt does not count', async () => {
		await busyOnce('1');
		const clock = new FakeClock();
		const limiter = new RateLimiter(1, clock);
		// Three items ahead in the queue: the first attempt waits about 3 s for its slot.
		for (let n = 0; n < 3; n++) await limiter.acquire();
		const outcome = await deliver(post(), TX, policy(2000), { clock, limiter });
		expect(outcome.success).toBe(true);
		expect(outcome.attempts).toHaveLength(2);
	});

	it('the wait for a slot counts: a retry whose slot falls after the window is not sent', async () => {
		await busyOnce('0');
		const clock = new FakeClock();
		const outcome = await deliver(post(), TX, policy(1000), { clock, limiter: new RateLimiter(1, clock) });
		expect(outcome).toMatchObject({
			success: false,
			error: { message: expect.stringMatching(/the next rate-limit slot would fall outside the 1 s retry window/) },
		});
		expect(outcome.attempts).toHaveLength(1);
		expect(receiver.requests).toHaveLength(1);
	});

	it('a retry whose slot fits is sent one interval after the first attempt', async () => {
		await busyOnce('0');
		const clock = new FakeClock();
		const outcome = await deliver(post(), TX, policy(1100), { clock, limiter: new RateLimiter(1, clock) });
		expect(outcome.success).toBe(true);
		const [first, second] = outcome.attempts.map((attempt) => Date.parse(attempt.startedAt));
		expect(second - first).toBeGreaterThanOrEqual(1010);
		expect(second - first).toBeLessThanOrEqual(1100);
	});
});
