import { deliver, prepareRequest, RateLimiter, type Clock, type Limiter } from '../../lib/dispatch';
import { startReceiver, type LoopbackServer } from '../../tools/httpServer';
import { FakeClock } from '../support/fakeClock';
import { IDEMPOTENCY_KEY_HEADERS, requestTemplate } from '../support/requestTemplate';

// Issue 24 item 5 in lib/dispatch: a stop ends every wait. The waits here never end by
// themselves, so a delivery that settles proves the stop ended them.
const TX = 'tx-stop-1';
let receiver: LoopbackServer;
afterEach(async () => {
	await receiver?.close();
});

/** Real time, but every sleep waits forever. */
const stuckClock: Clock = { now: () => Date.now(), sleep: () => new Promise<void>(() => {}) };
const stuckLimiter: Limiter = { acquire: () => new Promise<boolean>(() => {}) };

const request = () =>
	prepareRequest(
		requestTemplate({ rootUrl: receiver.url, nodeHeaders: IDEMPOTENCY_KEY_HEADERS }),
		{},
		TX,
	);
const policy = { maxRetries: 5, retryWindowMs: 3_600_000, timeoutMs: 5000, blockPrivateNetworks: false };

describe('deliver, stopped', () => {
	it('already stopped: not sent, kind canceled', async () => {
		receiver = await startReceiver();
		const outcome = await deliver(request(), TX, policy, { clock: new FakeClock(), signal: AbortSignal.abort() });
		expect(outcome).toMatchObject({ success: false, attempts: [], error: { kind: 'canceled', message: 'Not sent: the execution was stopped' } });
		expect(receiver.requests).toHaveLength(0);
	});

	it('stopped while waiting for the first rate-limit slot: not sent', async () => {
		receiver = await startReceiver();
		const stop = new AbortController();
		const pending = deliver(request(), TX, policy, { clock: new FakeClock(), limiter: stuckLimiter, signal: stop.signal });
		stop.abort();
		expect((await pending).error).toEqual({ kind: 'canceled', message: 'Not sent: the execution was stopped' });
		expect(receiver.requests).toHaveLength(0);
	});

	it.each([
		['a backoff', { status: 500 }],
		['a Retry-After', { status: 429, headers: { 'retry-after': '60' } }],
	])('stopped during %s wait: the answered attempt is the outcome, not sent again', async (_wait, answer) => {
		const stop = new AbortController();
		receiver = await startReceiver(() => {
			setImmediate(() => stop.abort());
			return answer;
		});
		const outcome = await deliver(request(), TX, policy, { clock: stuckClock, signal: stop.signal });
		expect(outcome).toMatchObject({ statusCode: answer.status, error: { kind: 'http', message: `The receiver answered ${answer.status}; not retried: the execution was stopped` } });
		expect(outcome.attempts).toHaveLength(1);
		expect(receiver.requests).toHaveLength(1);
	});

	it('stopped while waiting for a retry slot: not sent again', async () => {
		const stop = new AbortController();
		receiver = await startReceiver(() => ({ status: 503 }));
		let calls = 0;
		const limiter: Limiter = {
			acquire: () => (++calls === 1 ? Promise.resolve(true) : (stop.abort(), new Promise<boolean>(() => {}))),
		};
		const outcome = await deliver(request(), TX, policy, { clock: new FakeClock(), limiter, random: () => 0, signal: stop.signal });
		expect(outcome.error?.message).toBe('The receiver answered 503; not retried: the execution was stopped');
		expect(receiver.requests).toHaveLength(1);
	});
});

describe('RateLimiter, stopped', () => {
	it('a stopped caller gives up its place without taking a slot: the next caller gets the slot it would have had', async () => {
		// Virtual time only: nothing here depends on how fast the machine is.
		let now = 0;
		const sleeps: number[] = [];
		const clock: Clock = { now: () => now, sleep: async (ms) => {
				sleeps.push(ms);
				now += ms;
			},
		};
		const limiter = new RateLimiter(1, clock);
		expect(await limiter.acquire()).toBe(true);
		expect(await limiter.acquire(undefined, AbortSignal.abort())).toBe(false);
		expect(await limiter.acquire()).toBe(true);
		// One spacing (1.01 s) waited in all: the stopped caller took no slot.
		expect(sleeps).toEqual([1010]);
	});

	it('a caller stopped while it sleeps for its slot returns at once, even on a clock whose sleep never ends', async () => {
		const limiter = new RateLimiter(1, stuckClock);
		expect(await limiter.acquire()).toBe(true);
		const stop = new AbortController();
		const waiting = limiter.acquire(undefined, stop.signal);
		setImmediate(() => stop.abort());
		expect(await waiting).toBe(false);
	});
});
