import type { ServerResponse } from 'node:http';
import { deliver, prepareRequest, type DeliveryPolicy, type RequestTemplate } from '../../../lib/dispatch';
import { FakeClock } from '../../support/fakeClock';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest } from '../../../tools/httpServer';
import { IDEMPOTENCY_KEY_HEADERS, requestTemplate } from '../../support/requestTemplate';

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
		requestTemplate({ rootUrl: url, path: '/hook', nodeHeaders: IDEMPOTENCY_KEY_HEADERS, body: '{"run": "${ run }", "id": "${ WebhookRequest.TransactionalId }"}', ...overrides }),
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
			{ method: 'POST', rootUrl: receiver.url, path: '', query: [], inheritedHeaders: {}, secretHeaders: {}, nodeHeaders: [{ name: 'X-Request-Id', value: TX }], excludeInheritedHeaders: [], bodyContentType: 'none', body: '', signed: false },
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
		const prepared = request(receiver.url, { method: 'GET', query: [{ name: 'run', value: '${ run }' }, { name: 'tx', value: '${ WebhookRequest.TransactionalId }' }] });
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
