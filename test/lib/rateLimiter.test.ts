import { deliver, prepareRequest, RateLimiter, RateLimiterRegistry, type Clock } from '../../lib/dispatch';
import { startReceiver, type LoopbackServer } from '../../tools/httpServer';
import { FakeClock } from '../support/fakeClock';

/**
 * Virtual time: sleepers wake in order of their wake time, one at a time, once `run` drives
 * the clock; `lateBy` makes every sleeper wake that much later than asked, as a busy event loop does.
 */
class VirtualClock implements Clock {
	time = 0;
	private sleepers: Array<{ at: number; wake: () => void }> = [];
	constructor(private readonly lateBy = 0) {}
	now(): number {
		return this.time;
	}
	sleep(ms: number): Promise<void> {
		return new Promise((wake) => this.sleepers.push({ at: this.time + ms + this.lateBy, wake }));
	}
	/** Settles `work`, advancing time to each next sleeper (at most 100 of them). */
	async run<T>(work: Promise<T>): Promise<T> {
		for (let step = 0; step < 100; step++) {
			await new Promise((resolve) => setImmediate(resolve));
			if (this.sleepers.length === 0) break;
			this.sleepers.sort((a, b) => a.at - b.at);
			const next = this.sleepers.shift()!;
			this.time = next.at;
			next.wake();
		}
		return await work;
	}
}

describe('RateLimiter', () => {
	it('1/s: waiters start one interval (1 s + 2.5%) apart, first come first served', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(1, clock);
		const starts: Array<[string, number]> = [];
		await clock.run(Promise.all(['a', 'b', 'c'].map(async (name) => (await limiter.acquire(), starts.push([name, clock.now()])))));
		expect(starts).toEqual([['a', 0], ['b', 1025], ['c', 2050]]);
	});

	it('spaces from when the previous caller actually started, not when it was planned to', async () => {
		const clock = new VirtualClock(100);
		const limiter = new RateLimiter(1, clock);
		const starts: number[] = [];
		await clock.run(Promise.all([1, 2, 3].map(async () => (await limiter.acquire(), starts.push(clock.now())))));
		expect(starts).toEqual([0, 1125, 2250]);
	});

	it('refuses, without taking the slot, a turn that would come after `notAfter`', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(1, clock);
		expect(await limiter.acquire()).toBe(true);
		expect(await limiter.acquire(1024)).toBe(false);
		expect(clock.now()).toBe(0);
		expect(await clock.run(limiter.acquire(1025))).toBe(true);
		expect(clock.now()).toBe(1025);
	});

	it('a rate of 0 never waits', async () => {
		const clock = new VirtualClock();
		const limiter = new RateLimiter(0, clock);
		expect(await Promise.all([limiter.acquire(), limiter.acquire(0)])).toEqual([true, true]);
		expect(clock.now()).toBe(0);
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
	const post = () =>
		prepareRequest(
			{ method: 'POST', rootUrl: receiver.url, path: '', query: [], inheritedHeaders: {}, secretHeaders: {}, nodeHeaders: [], excludeInheritedHeaders: [], bodyContentType: 'json', body: '{"id": "${ WebhookRequest.TransactionalId }"}' },
			{},
			TX,
		);
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
		const outcome = await deliver(post(), TX, policy(1000), { clock: new FakeClock(), limiter: new RateLimiter(1, new FakeClock()) });
		expect(outcome).toMatchObject({ success: false, error: { message: expect.stringMatching(/the next rate-limit slot would fall outside the 1 s retry window/) } });
		expect(outcome.attempts).toHaveLength(1);
		expect(receiver.requests).toHaveLength(1);
	});

	it('a retry whose slot fits is sent one interval after the first attempt', async () => {
		await busyOnce('0');
		const clock = new FakeClock();
		const outcome = await deliver(post(), TX, policy(1100), { clock, limiter: new RateLimiter(1, clock) });
		expect(outcome.success).toBe(true);
		const [first, second] = outcome.attempts.map((attempt) => Date.parse(attempt.startedAt));
		expect(second - first).toBeGreaterThanOrEqual(1025);
		expect(second - first).toBeLessThanOrEqual(1100);
	});
});
