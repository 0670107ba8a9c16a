import { createServer, type Server, type Socket } from 'node:net';
import { deliver, notSent, prepareRequest, type Clock, type DeliveryPolicy, type RequestTemplate } from '../../lib/dispatch';
import { signStandardWebhook } from '../../lib/verify';
import { startLoopbackServer, type LoopbackServer } from '../../tools/httpServer';
import { IDEMPOTENCY_KEY_HEADERS, requestTemplate } from '../support/requestTemplate';

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
const policy = (overrides: Partial<DeliveryPolicy> = {}): DeliveryPolicy => ({ maxRetries: 3, retryWindowMs: 360_000, timeoutMs: 5000, blockPrivateNetworks: false, ...overrides });

function request(url: string, overrides: Partial<RequestTemplate> = {}) {
	return prepareRequest(
		requestTemplate({ rootUrl: url, path: '/hook', nodeHeaders: IDEMPOTENCY_KEY_HEADERS, body: '{"a": 1}', ...overrides }),
		{},
		TX,
	);
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
		expect(outcome).toMatchObject({ success: false, statusCode: 300, bodyText: 'pick one', bodyTruncated: false, error: { kind: 'http', message: 'The receiver answered 300' } });
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
		expect(outcome.error?.message).toBe('127.0.0.1 resolves to 127.0.0.1, a loopback, private, link-local or metadata address, which Block Private Networks refuses');
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
		expect(headers['webhook-signature']).toBe(signStandardWebhook(SIGNING_SECRET, TX, 1_760_000_000, body));
	});

	it('a signed request without a body (GET) is signed over the empty body', async () => {
		receiver = await answering(200);
		await deliver(request(receiver.url, { method: 'GET' }), TX, policy({ signingSecret: SIGNING_SECRET }), { clock: new ManualClock(1_760_000_000_000) });
		expect(receiver.requests[0].headers['webhook-signature']).toBe(signStandardWebhook(SIGNING_SECRET, TX, 1_760_000_000, ''));
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
