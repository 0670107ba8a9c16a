import type { ServerResponse } from 'node:http';
import { deliver, prepareRequest, type DeliveryPolicy, type RequestTemplate, notSent, type Clock, RateLimiter, type Limiter } from '../../../lib/dispatch';
import { FakeClock } from '../../support/fakeClock';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest, startReceiver } from '../../../tools/httpServer';
import { IDEMPOTENCY_KEY_HEADERS, requestTemplate } from '../../support/requestTemplate';
import { createServer, type Server, type Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { judgeAttempt, type AttemptResult } from '../../../lib/dispatch';
import { TransportError, type HttpAnswer } from '../../../lib/http/transport';

type Script = Array<number | 'reset' | 'hang' | { status: number; headers?: Record<string, string> }>;

/** A receiver whose answers are scripted per request, in order; after the script, 200. */
async function scriptedReceiver(script: Script): Promise<LoopbackServer> {
	let index = 0;
	return await startLoopbackServer((_req: RecordedRequest, res: ServerResponse) => {
		const step = script[index++] ?? 200;
		if (step === 'reset') return void res.socket?.destroy();
		if (step === 'hang') return void setTimeout(() => res.end('late'), 3000).unref();
		const { status, headers } = typeof step === 'number' ? { status: step, headers: {} } : step;
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(JSON.stringify({ status }));
	});
}

const TX = 'tx-0001';
const policy = (overrides: Partial<DeliveryPolicy> = {}): DeliveryPolicy => ({
	maxRetries: 3,
	retryWindowMs: 360_000,
	timeoutMs: 5000,
	blockPrivateNetworks: false,
	...overrides,
});

function request(url: string, overrides: Partial<RequestTemplate> = {}) {
	return prepareRequest(
		requestTemplate({
			rootUrl: url,
			path: '/hook',
			nodeHeaders: IDEMPOTENCY_KEY_HEADERS,
			body: '{"run": "${ run }", "id": "${ WebhookRequest.TransactionalId }"}',
			...overrides,
		}),
		{ run: 'r1' },
		TX,
	);
}

let receiver: LoopbackServer | undefined;
afterEach(async () => {
	await receiver?.close();
	receiver = undefined;
});

describe('delivery engine', () => {
	it('503, 503, 200: succeeds on the third attempt with one transactional id and an identical body', async () => {
		receiver = await scriptedReceiver([503, 503, 200]);
		const clock = new FakeClock();
		const outcome = await deliver(request(receiver.url), TX, policy(), { clock, random: () => 0.5 });
		expect(outcome.success).toBe(true);
		expect(outcome.attempts.map((a) => a.statusCode)).toEqual([503, 503, 200]);
		expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set([TX]));
		expect(new Set(receiver.requests.map((r) => r.body))).toEqual(new Set(['{"run": "r1", "id": "tx-0001"}']));
		// Full jitter: random 0.5 of 1 s, then of 2 s.
		expect(clock.sleeps).toEqual([500, 1000]);
	});

	it('429 with Retry-After in seconds: the wait is honoured', async () => {
		receiver = await scriptedReceiver([{ status: 429, headers: { 'retry-after': '2' } }, 200]);
		const clock = new FakeClock();
		const outcome = await deliver(request(receiver.url), TX, policy(), { clock });
		expect(outcome.success).toBe(true);
		expect(clock.sleeps).toEqual([2000]);
		expect(outcome.attempts[0]).toMatchObject({ statusCode: 429, retryAfterMs: 2000 });
	});

	it('429 with Retry-After as an HTTP date: the wait is honoured', async () => {
		// An HTTP date has whole seconds.
		const at = Math.floor((Date.now() + 5000) / 1000) * 1000;
		receiver = await scriptedReceiver([{ status: 429, headers: { 'retry-after': new Date(at).toUTCString() } }, 200]);
		const clock = new FakeClock();
		const before = Date.now();
		const outcome = await deliver(request(receiver.url), TX, policy(), { clock });
		const after = Date.now();
		expect(outcome.success).toBe(true);
		// The wait runs from when the answer came, somewhere between `before` and `after`.
		expect(clock.sleeps[0]).toBeGreaterThanOrEqual(at - after);
		expect(clock.sleeps[0]).toBeLessThanOrEqual(at - before);
	});

	it('400: fails at once, no retry', async () => {
		receiver = await scriptedReceiver([400]);
		const outcome = await deliver(request(receiver.url), TX, policy(), { clock: new FakeClock() });
		expect(outcome).toMatchObject({ success: false, statusCode: 400, error: { kind: 'http', message: 'The receiver answered 400' } });
		expect(receiver.requests).toHaveLength(1);
	});

	it('a request without the transactional id is not retried on 503', async () => {
		receiver = await scriptedReceiver([503, 200]);
		const plain = request(receiver.url, { nodeHeaders: [], body: '{"run": "${ run }"}' });
		expect(plain.carriesTransactionalId).toBe(false);
		const outcome = await deliver(plain, TX, policy(), { clock: new FakeClock() });
		expect(outcome.success).toBe(false);
		expect(outcome.error!.message).toMatch(/not retried: the request does not carry its transactional id/);
		expect(receiver.requests).toHaveLength(1);
	});

	it('a transactional id sent as a header the user named counts as carried', async () => {
		receiver = await scriptedReceiver([503, 200]);
		const prepared = prepareRequest(
			requestTemplate({ rootUrl: receiver.url, nodeHeaders: [{ name: 'X-Request-Id', value: TX }], bodyContentType: 'none', body: '' }),
			{},
			TX,
		);
		expect(prepared.carriesTransactionalId).toBe(true);
		expect((await deliver(prepared, TX, policy(), { clock: new FakeClock() })).success).toBe(true);
	});

	it('retries that do not fit the six-minute window end in failure with every attempt logged', async () => {
		const always503 = Array.from({ length: 20 }, () => ({ status: 503, headers: { 'retry-after': '100' } }));
		receiver = await scriptedReceiver(always503);
		const clock = new FakeClock();
		const outcome = await deliver(request(receiver.url), TX, policy({ maxRetries: 10, retryWindowMs: 360_000 }), { clock });
		expect(outcome.success).toBe(false);
		// Attempts at 0, 100, 200 and 300 s; the next (400 s) would fall outside.
		expect(outcome.attempts).toHaveLength(4);
		expect(clock.sleeps).toEqual([100_000, 100_000, 100_000]);
		expect(outcome.error!.message).toMatch(/the next attempt \(in 100 s\) would fall outside the 360 s retry window/);
		expect(outcome.attempts.every((a) => a.statusCode === 503 && a.retryAfterMs === 100_000)).toBe(true);
	});

	it('a Retry-After longer than the window is honoured by not retrying at all', async () => {
		receiver = await scriptedReceiver([{ status: 503, headers: { 'retry-after': '400' } }, 200]);
		const clock = new FakeClock();
		const outcome = await deliver(request(receiver.url), TX, policy({ retryWindowMs: 360_000 }), { clock });
		expect(outcome.success).toBe(false);
		expect(outcome.attempts).toHaveLength(1);
		expect(clock.sleeps).toEqual([]);
		expect(outcome.error!.message).toMatch(/the next attempt \(in 400 s\) would fall outside the 360 s retry window/);
	});

	it('GET sends no body; query values are templates', async () => {
		receiver = await scriptedReceiver([200]);
		const prepared = request(receiver.url, {
			method: 'GET',
			query: [
				{ name: 'run', value: '${ run }' },
				{ name: 'tx', value: '${ WebhookRequest.TransactionalId }' },
			],
		});
		expect(prepared.body).toBeUndefined();
		expect(prepared.url).toBe(`${receiver.url}/hook?run=r1&tx=${TX}`);
		await deliver(prepared, TX, policy(), { clock: new FakeClock() });
		expect(receiver.requests[0]).toMatchObject({ method: 'GET', body: '' });
	});

	it('stops after maxRetries', async () => {
		receiver = await scriptedReceiver([500, 500, 500, 500, 500]);
		const outcome = await deliver(request(receiver.url), TX, policy({ maxRetries: 2 }), { clock: new FakeClock() });
		expect(outcome.attempts).toHaveLength(3);
		expect(outcome.error!.message).toMatch(/gave up after 3 attempts/);
	});

	it('a connection reset and a timeout are retried', async () => {
		receiver = await scriptedReceiver(['reset', 'hang', 200]);
		const outcome = await deliver(request(receiver.url), TX, policy({ timeoutMs: 500 }), { clock: new FakeClock() });
		expect(outcome.success).toBe(true);
		expect(outcome.attempts[0].error).toBeDefined();
		expect(outcome.attempts[1].error).toMatch(/no answer within 0.5 s/);
		expect(outcome.attempts).toHaveLength(3);
	});

	it('blockPrivateNetworks refuses 127.0.0.1 and a name resolving to it, sending nothing', async () => {
		receiver = await scriptedReceiver([]);
		const port = new URL(receiver.url).port;
		for (const url of [receiver.url, `http://localhost:${port}`, `http://[::1]:${port}`]) {
			const outcome = await deliver(request(url), TX, policy({ blockPrivateNetworks: true }), { clock: new FakeClock() });
			expect(outcome).toMatchObject({ success: false, error: { kind: 'blocked', message: expect.stringMatching(/Block Private Networks refuses/) } });
		}
		expect(receiver.requests).toHaveLength(0);
	});
});

describe('deliver: outcomes, signing and the retry window', () => {
	// lib/dispatch/deliver.ts: what an outcome holds on each path, signing, and the retry window's edge.

	/** Virtual time: frozen unless slept, or moved by `step` on every reading. */
	class ManualClock implements Clock {
		constructor(
			public t = 1_760_000_000_500,
			private readonly step = 0,
		) {}
		now(): number {
			const value = this.t;
			this.t += this.step;
			return value;
		}
		async sleep(ms: number): Promise<void> {
			this.t += ms;
		}
	}

	const TX = 'tx-0001';
	const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
	function request(url: string, overrides: Partial<RequestTemplate> = {}) {
		return prepareRequest(requestTemplate({ rootUrl: url, path: '/hook', nodeHeaders: IDEMPOTENCY_KEY_HEADERS, body: '{"a": 1}', ...overrides }), {}, TX);
	}

	let receiver: LoopbackServer | undefined;
	let silent: Server | undefined;
	const sockets: Socket[] = [];
	afterEach(async () => {
		await receiver?.close();
		receiver = undefined;
		if (silent) {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => silent!.close(resolve));
		}
		silent = undefined;
		sockets.length = 0;
	});

	async function answering(status: number, headers: Record<string, string> = {}, body = 'answer body'): Promise<LoopbackServer> {
		return await startLoopbackServer((_req, res) => {
			res.writeHead(status, headers);
			res.end(body);
		});
	}

	describe('notSent', () => {
		it('is a failure with no status, no answer and no attempt', () => {
			expect(notSent('template', 'body: bad')).toEqual({
				success: false,
				statusCode: null,
				headers: {},
				bodyText: '',
				bodyTruncated: false,
				attempts: [],
				error: { kind: 'template', message: 'body: bad' },
			});
		});
	});

	describe('deliver: what a failed outcome holds', () => {
		it('an answer outside 2xx (300) is a failure that keeps the answer: status, headers, body', async () => {
			receiver = await answering(300, { 'x-reason': 'choose' }, 'pick one');
			const outcome = await deliver(request(receiver.url), TX, policy(), { clock: new ManualClock() });
			expect(outcome).toMatchObject({
				success: false,
				statusCode: 300,
				bodyText: 'pick one',
				bodyTruncated: false,
				error: { kind: 'http', message: 'The receiver answered 300' },
			});
			expect(outcome.headers['x-reason']).toBe('choose');
			expect(outcome.attempts).toHaveLength(1);
		});

		it('an attempt without Retry-After records no retryAfterMs', async () => {
			receiver = await answering(400);
			const outcome = await deliver(request(receiver.url), TX, policy(), { clock: new ManualClock() });
			expect(outcome.attempts[0]).not.toHaveProperty('retryAfterMs');
			expect(outcome.attempts[0]).not.toHaveProperty('error');
			expect(outcome.attempts[0].statusCode).toBe(400);
		});

		it('a connection refused: a network failure with no answer fields, the message says it could not connect', async () => {
			receiver = await answering(200);
			const url = receiver.url;
			await receiver.close();
			receiver = undefined;
			const outcome = await deliver(request(url), TX, policy({ maxRetries: 0 }), { clock: new ManualClock() });
			expect(outcome).toMatchObject({ success: false, statusCode: null, headers: {}, bodyText: '', bodyTruncated: false });
			expect(outcome.error?.kind).toBe('network');
			expect(outcome.error?.message).toMatch(/^Could not connect: .+; gave up after 1 attempts$/);
			expect(outcome.attempts[0].error).toBeDefined();
		});

		it('a timeout: the message gives the timeout in seconds', async () => {
			silent = createServer((socket) => void sockets.push(socket));
			await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
			const port = (silent.address() as { port: number }).port;
			const outcome = await deliver(request(`http://127.0.0.1:${port}`), TX, policy({ maxRetries: 0, timeoutMs: 250 }), { clock: new ManualClock() });
			expect(outcome.error).toEqual({ kind: 'timeout', message: 'No answer within 0.25 s; gave up after 1 attempts' });
			expect(outcome).toMatchObject({ statusCode: null, headers: {}, bodyText: '', bodyTruncated: false });
		});

		it('a blocked address: the guard message as it is, not as a connection failure, and not retried', async () => {
			receiver = await answering(200);
			const outcome = await deliver(request(receiver.url), TX, policy({ blockPrivateNetworks: true }), { clock: new ManualClock() });
			expect(outcome.error?.kind).toBe('blocked');
			expect(outcome.error?.message).toBe(
				'127.0.0.1 resolves to 127.0.0.1, a loopback, private, link-local or metadata address, which Block Private Networks refuses',
			);
			expect(outcome.attempts).toHaveLength(1);
			expect(receiver.requests).toHaveLength(0);
		});
	});

	describe('deliver: attempts and signing', () => {
		it('an attempt records when it started and how long it took, by the clock', async () => {
			receiver = await answering(200);
			const clock = new ManualClock(1_760_000_000_500, 7);
			const outcome = await deliver(request(receiver.url), TX, policy(), { clock });
			// Readings: window start, attempt start, attempt end: the attempt took one step.
			expect(outcome.attempts).toEqual([{ attempt: 1, startedAt: new Date(1_760_000_000_507).toISOString(), durationMs: 7, statusCode: 200 }]);
		});

		it('a signed request carries webhook-id, the timestamp in whole seconds, and a signature of the body', async () => {
			receiver = await answering(200);
			await deliver(request(receiver.url), TX, policy({ signingSecret: SIGNING_SECRET }), { clock: new ManualClock(1_760_000_000_999) });
			const { headers, body } = receiver.requests[0];
			expect(headers['webhook-id']).toBe(TX);
			expect(headers['webhook-timestamp']).toBe('1760000000');
			expect(headers['webhook-signature']).toBe(new Webhook(SIGNING_SECRET).sign(TX, new Date(1_760_000_000_000), body));
		});

		it('a signed request without a body (GET) is signed over the empty body', async () => {
			receiver = await answering(200);
			await deliver(request(receiver.url, { method: 'GET' }), TX, policy({ signingSecret: SIGNING_SECRET }), { clock: new ManualClock(1_760_000_000_000) });
			expect(receiver.requests[0].headers['webhook-signature']).toBe(new Webhook(SIGNING_SECRET).sign(TX, new Date(1_760_000_000_000), ''));
		});
	});

	describe('deliver: the retry window edge', () => {
		it('a next attempt that starts exactly at the end of the window is still made', async () => {
			let calls = 0;
			receiver = await startLoopbackServer((_req, res) => {
				calls++;
				res.writeHead(calls === 1 ? 503 : 200, calls === 1 ? { 'retry-after': '1' } : {});
				res.end();
			});
			const outcome = await deliver(request(receiver.url), TX, policy({ retryWindowMs: 1000 }), { clock: new ManualClock() });
			expect(outcome.success).toBe(true);
			expect(outcome.attempts.map((attempt) => [attempt.statusCode, attempt.retryAfterMs])).toEqual([
				[503, 1000],
				[200, undefined],
			]);
		});

		it('one millisecond past the end of the window, it is not', async () => {
			receiver = await answering(503, { 'retry-after': '1' });
			const outcome = await deliver(request(receiver.url), TX, policy({ retryWindowMs: 999 }), { clock: new ManualClock() });
			expect(outcome.success).toBe(false);
			expect(outcome.attempts).toHaveLength(1);
			expect(outcome.error?.message).toBe('The receiver answered 503; the next attempt (in 1 s) would fall outside the 1 s retry window');
		});
	});
});

describe('deliver and RateLimiter: a stop ends every wait', () => {
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

	const request = () => prepareRequest(requestTemplate({ rootUrl: receiver.url, nodeHeaders: IDEMPOTENCY_KEY_HEADERS }), {}, TX);
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
			expect(outcome).toMatchObject({
				statusCode: answer.status,
				error: { kind: 'http', message: `The receiver answered ${answer.status}; not retried: the execution was stopped` },
			});
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

	describe('a rate limit that cannot be applied (the shared limit: Redis unreachable)', () => {
		const unavailable = new Error('Redis is unreachable: connect ECONNREFUSED 127.0.0.1:6390');

		it('for the first slot: not sent, kind rateLimit, its message kept', async () => {
			receiver = await startReceiver();
			const limiter: Limiter = { acquire: () => Promise.reject(unavailable) };
			const outcome = await deliver(request(), TX, policy, { clock: new FakeClock(), limiter });
			expect(outcome).toMatchObject({ success: false, attempts: [], error: { kind: 'rateLimit', message: unavailable.message } });
			expect(receiver.requests).toHaveLength(0);
		});

		it('for a retry slot: the answered attempt is the outcome, not retried, naming the cause', async () => {
			receiver = await startReceiver(() => ({ status: 503 }));
			let calls = 0;
			const limiter: Limiter = { acquire: () => (++calls === 1 ? Promise.resolve(true) : Promise.reject(unavailable)) };
			const outcome = await deliver(request(), TX, policy, { clock: new FakeClock(), limiter, random: () => 0 });
			expect(outcome.error).toEqual({ kind: 'http', message: `The receiver answered 503; not retried: ${unavailable.message}` });
			expect(outcome.attempts).toHaveLength(1);
			expect(receiver.requests).toHaveLength(1);
		});
	});

	describe('RateLimiter, stopped', () => {
		it('a stopped caller gives up its place without taking a slot: the next caller gets the slot it would have had', async () => {
			// Virtual time only: nothing here depends on how fast the machine is.
			let now = 0;
			const sleeps: number[] = [];
			const clock: Clock = {
				now: () => now,
				sleep: async (ms) => {
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
});

describe('judgeAttempt', () => {
	// The pure step of deliver(): what one attempt's answer or transport failure means.
	const NOW = Date.parse('2026-03-01T12:00:00.000Z');
	const context = { timeoutMs: 2500, nowMs: NOW };

	function answered(statusCode: number, headers: Record<string, string> = {}): AttemptResult {
		const answer: HttpAnswer = { statusCode, headers, bodyText: '', bodyTruncated: false, durationMs: 1 };
		return { answer };
	}
	const failed = (kind: TransportError['kind'], message: string): AttemptResult => ({ failure: new TransportError(kind, message) });

	describe('judgeAttempt: the answer’s status', () => {
		it.each([200, 201, 299])('%i is delivered, with nothing more to say', (status) => {
			expect(judgeAttempt(answered(status), context)).toEqual({ delivered: true });
		});

		it.each([
			[199, false],
			[300, false],
			[404, false],
			[499, false],
			[429, true],
			[500, true],
			[599, true],
		])('%i is an HTTP error; retryable: %s', (status, retryable) => {
			expect(judgeAttempt(answered(status), context)).toEqual({
				delivered: false,
				error: { kind: 'http', message: `The receiver answered ${status}` },
				retryable,
			});
		});
	});

	describe('judgeAttempt: the receiver’s Retry-After', () => {
		it('delta seconds become the wait, whatever the header name’s case', () => {
			expect(judgeAttempt(answered(503, { 'Retry-After': '7' }), context)).toMatchObject({ retryable: true, waitMs: 7000 });
			expect(judgeAttempt(answered(429, { 'retry-after': ' 0 ' }), context)).toMatchObject({ retryable: true, waitMs: 0 });
		});

		it('an HTTP date is read against the given moment; one in the past is no wait', () => {
			const in90s = new Date(NOW + 90_000).toUTCString();
			expect(judgeAttempt(answered(503, { 'retry-after': in90s }), context)).toMatchObject({ waitMs: 90_000 });
			const past = new Date(NOW - 60_000).toUTCString();
			expect(judgeAttempt(answered(503, { 'retry-after': past }), context)).toMatchObject({ waitMs: 0 });
		});

		it('an unreadable value names no wait (backoff then applies)', () => {
			for (const value of ['soon', '', 'Wed, 99 Foo 2026 00:00:00 GMT']) {
				expect(judgeAttempt(answered(503, { 'retry-after': value }), context)).not.toHaveProperty('waitMs');
			}
		});

		it('is kept on an answer that is not retried (the attempt records it), and ignored on a delivered one', () => {
			expect(judgeAttempt(answered(400, { 'retry-after': '3' }), context)).toEqual({
				delivered: false,
				error: { kind: 'http', message: 'The receiver answered 400' },
				retryable: false,
				waitMs: 3000,
			});
			expect(judgeAttempt(answered(200, { 'retry-after': '3' }), context)).toEqual({ delivered: true });
		});
	});

	describe('judgeAttempt: a transport failure', () => {
		it('timeout: retryable, told with the deadline in seconds', () => {
			expect(judgeAttempt(failed('timeout', 'socket hang up after 2500 ms'), context)).toEqual({
				delivered: false,
				error: { kind: 'timeout', message: 'No answer within 2.5 s' },
				retryable: true,
			});
		});

		it('network: retryable, with the transport’s detail', () => {
			expect(judgeAttempt(failed('network', 'connect ECONNREFUSED 127.0.0.1:1'), context)).toEqual({
				delivered: false,
				error: { kind: 'network', message: 'Could not connect: connect ECONNREFUSED 127.0.0.1:1' },
				retryable: true,
			});
		});

		it('blocked: never retried, and the guard’s own message is kept as it is', () => {
			const message = 'Blocked: 10.0.0.5 is a private address (Block Private Networks is on)';
			expect(judgeAttempt(failed('blocked', message), context)).toEqual({ delivered: false, error: { kind: 'blocked', message }, retryable: false });
		});

		it('names no wait, whatever the deadline', () => {
			expect(judgeAttempt(failed('timeout', 'late'), { timeoutMs: 60_000, nowMs: NOW })).not.toHaveProperty('waitMs');
		});
	});
});
