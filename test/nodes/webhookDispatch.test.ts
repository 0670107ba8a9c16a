import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { normalizePayload } from '../../lib/sources';
import { verifyStandardWebhook } from '../../lib/verify';
import { WebhookDispatch } from '../../nodes/WebhookDispatch/WebhookDispatch.node';
import { itemsInto, node, NodeTypeRegistry, outputOf, pairedItemsOf, runWorkflow } from '../support/engine';
import { startLoopbackServer, startReceiver, type LoopbackServer, type RecordedRequest } from '../../tools/httpServer';
import { newStandardSecret } from '../support/signing';

const nodeTypes = new NodeTypeRegistry({ webhookDispatch: new WebhookDispatch() });
const SECRET_VALUE = 'very-secret-token-value';
let receiver: LoopbackServer;

afterEach(async () => {
	await receiver?.close();
});

interface RunOptions {
	items?: object[];
	credential?: Record<string, unknown>;
	credentialId?: string;
}

async function dispatch(parameters: Record<string, unknown>, options: RunOptions = {}) {
	const target = node('webhookDispatch', { method: 'POST', bodyContentType: 'json', ...parameters } as never, {
		name: 'Dispatch',
		credentials: { webhookIntegration: { id: options.credentialId ?? 'integration-1', name: 'Receiver' } },
	});
	const run = await runWorkflow({
		...itemsInto(target, (options.items ?? [{}]) as never),
		nodeTypes,
		startNode: 'Items',
		credentials: {
			webhookIntegration: {
				rootUrl: receiver.url,
				headers: JSON.stringify({ 'X-Team': 'qa', 'X-Env': 'test' }),
				secretHeaders: JSON.stringify({ Authorization: `Bearer ${SECRET_VALUE}` }),
				rateLimitPerSecond: 0,
				signingSecret: '',
				timeoutSeconds: 5,
				blockPrivateNetworks: false,
				...options.credential,
			},
		},
	});
	return { run, success: outputOf(run, 'Dispatch', 0), failure: outputOf(run, 'Dispatch', 1), error: run.data.resultData.error };
}

const failedRun = (() => {
	const result = normalizePayload('maestro', JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'maestro-upload.json'), 'utf8')));
	if (!result.ok) throw new Error(result.reason);
	return { event: result.value.event, source: 'maestro', deliveryId: 'd1', receivedAt: new Date().toISOString(), run: result.value.run };
})();

const FAILURES_TEMPLATE = `{
  "text": "\${ run.name }: \${ run.totals.failed } of \${ run.totals.tests } failed",
  "failures": [@{ set sep = "" }@{ for f in run.failures }\${ sep }{"name": "\${ f.name }", "reason": "\${ f.reason | ReplaceIfEmpty("?") }"}@{ set sep = "," }@{ end for }],
  "id": "\${ WebhookRequest.TransactionalId }"
}`;

describe('Webhook Dispatch in the n8n engine', () => {
	it('trigger data in, a JSON template listing the failures out: Success with the output shape', async () => {
		receiver = await startReceiver(() => ({ status: 201, body: { accepted: true } }));
		const { success, failure, run, error } = await dispatch(
			{
				path: '/runs/${ run.id }',
				queryParameters: { parameter: [{ name: 'status', value: '${ run.status }' }] },
				headers: { parameter: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }] },
				body: FAILURES_TEMPLATE,
				transactionalId: '={{ $json.run.id }}-{{ $json.event }}',
			},
			{ items: [failedRun] },
		);
		expect(error).toBeUndefined();
		expect(failure).toEqual([]);
		const [delivery] = receiver.requests;
		expect(delivery.url).toBe('/runs/mupload_123456?status=failed');
		expect(delivery.headers['idempotency-key']).toBe('mupload_123456-RUN_FINISH');
		expect(delivery.headers['x-team']).toBe('qa');
		expect(delivery.headers.authorization).toBe(`Bearer ${SECRET_VALUE}`);
		expect(JSON.parse(delivery.body)).toEqual({
			text: 'TestApp Release 1.2.3: 2 of 4 failed',
			failures: [
				{ name: 'Checkout Flow Test', reason: "Element with ID 'checkout_button' not found" },
				{ name: 'User Profile Flow', reason: 'App crashed on launch' },
			],
			id: 'mupload_123456-RUN_FINISH',
		});
		expect(success).toEqual([
			{
				success: true,
				statusCode: 201,
				headers: expect.objectContaining({ 'content-type': 'application/json' }),
				body: { accepted: true },
				transactionalId: 'mupload_123456-RUN_FINISH',
				attempts: [{ attempt: 1, startedAt: expect.any(String), durationMs: expect.any(Number), statusCode: 201 }],
				request: {
					method: 'POST',
					url: `${receiver.url}/runs/mupload_123456?status=failed`,
					headers: expect.objectContaining({ Authorization: '***', 'X-Team': 'qa', 'Idempotency-Key': `${failedRun.run.id}-RUN_FINISH` }),
				},
			},
		]);
		expect(pairedItemsOf(run, 'Dispatch', 0)).toEqual([{ item: 0 }]);
	});

	it('every item leaves by exactly one output, in input order, and branches on the outcome', async () => {
		receiver = await startReceiver((request: RecordedRequest) => ({ status: JSON.parse(request.body).n % 2 ? 422 : 200, body: {} }));
		const items = Array.from({ length: 10 }, (_, n) => ({ n }));
		const { success, failure, run } = await dispatch({ body: '{"n": ${ n }}', options: { concurrency: 4 } }, { items });
		expect(success.map((item) => (item.request as { url: string }).url)).toHaveLength(5);
		expect(pairedItemsOf(run, 'Dispatch', 0)).toEqual([0, 2, 4, 6, 8].map((item) => ({ item })));
		expect(pairedItemsOf(run, 'Dispatch', 1)).toEqual([1, 3, 5, 7, 9].map((item) => ({ item })));
		expect(failure.every((item) => item.statusCode === 422 && (item.error as { kind: string }).kind === 'http')).toBe(true);
		expect(receiver.requests).toHaveLength(10);
	});

	it('a new UUID per item by default, sent as the idempotency key', async () => {
		receiver = await startReceiver();
		const { success } = await dispatch(
			{ headers: { parameter: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }] }, body: '{}' },
			{ items: [{}, {}] },
		);
		const ids = success.map((item) => item.transactionalId);
		expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
		expect(ids[0]).not.toBe(ids[1]);
		expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual(ids);
	});

	it('a template error sends nothing and leaves by Failure', async () => {
		receiver = await startReceiver();
		const { success, failure } = await dispatch({ body: '{"x": "${ missing.field }"}' }, { items: [{ a: 1 }] });
		expect(success).toEqual([]);
		expect(failure).toEqual([
			expect.objectContaining({
				success: false,
				statusCode: null,
				attempts: [],
				error: { kind: 'template', message: expect.stringMatching(/^body: Unknown field or variable "missing"/) },
			}),
		]);
		expect(receiver.requests).toHaveLength(0);
	});

	it('a body that does not render as JSON is a template error', async () => {
		receiver = await startReceiver();
		const { failure } = await dispatch({ body: '{"x": ${ name }}' }, { items: [{ name: 'plain text' }] });
		expect(failure[0].error).toMatchObject({ kind: 'template', message: expect.stringMatching(/not valid JSON/) });
	});

	it('excludes inherited headers by name and lets node headers override', async () => {
		receiver = await startReceiver();
		await dispatch({ body: '{}', excludeInheritedHeaders: ['x-env'], headers: { parameter: [{ name: 'x-team', value: 'platform' }] } });
		const [delivery] = receiver.requests;
		expect(delivery.headers['x-env']).toBeUndefined();
		expect(delivery.headers['x-team']).toBe('platform');
	});

	it('sends text and form bodies, and none', async () => {
		receiver = await startReceiver();
		await dispatch({ bodyContentType: 'text', body: 'Run ${ run } failed' }, { items: [{ run: 'r1' }] });
		await dispatch({ bodyContentType: 'form', body: '{"run": "${ run }", "note": "a&b"}' }, { items: [{ run: 'r1' }] });
		await dispatch({ method: 'DELETE', bodyContentType: 'none' });
		expect(receiver.requests.map((r) => [r.method, r.headers['content-type'], r.body])).toEqual([
			['POST', 'text/plain; charset=utf-8', 'Run r1 failed'],
			['POST', 'application/x-www-form-urlencoded', 'run=r1&note=a%26b'],
			['DELETE', undefined, ''],
		]);
	});

	it('secret header values never appear in outputs or errors, even when the receiver echoes them', async () => {
		receiver = await startReceiver((request) => ({
			status: 500,
			body: { echoed: request.headers.authorization },
			headers: { 'x-echo': String(request.headers.authorization) },
		}));
		const { success, failure } = await dispatch({ body: '{}' });
		expect(success).toEqual([]);
		const everything = JSON.stringify(failure);
		expect(everything).not.toContain(SECRET_VALUE);
		expect(failure[0].body).toEqual({ echoed: '***' });
	});

	it('a secret echoed in other forms is masked too: without its scheme word, JSON-escaped with \\u escapes, URL-encoded, in headers', async () => {
		const token = 'tö"k\\en-Qz7w';
		receiver = await startLoopbackServer((request, res) => {
			const sent = String(request.headers['x-api-key']);
			const asciiJson = JSON.stringify(sent).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
			res.writeHead(502, { 'content-type': 'application/json', 'x-echo': encodeURIComponent(sent) });
			res.end(
				`{"plain": ${JSON.stringify(sent)}, "ascii": ${asciiJson}, "url": "?k=${encodeURIComponent(sent)}", ${JSON.stringify(sent)}: 1, "bare": ${JSON.stringify(SECRET_VALUE)}}`,
			);
		});
		const { failure } = await dispatch(
			{ body: '{}' },
			{ credential: { secretHeaders: JSON.stringify({ 'X-Api-Key': token, Authorization: `Bearer ${SECRET_VALUE}` }) } },
		);
		expect(failure[0].body).toEqual({ plain: '***', ascii: '***', url: '?k=***', '***': 1, bare: '***' });
		expect((failure[0].headers as Record<string, string>)['x-echo']).toBe('***');
		expect((failure[0].request as { headers: Record<string, string> }).headers).toMatchObject({ 'X-Api-Key': '***', Authorization: '***' });
		expect(JSON.stringify(failure)).not.toMatch(/Qz7w|very-secret/);
	});

	it('a secret header value too short to mask safely is refused, naming the field and the header, not the value', async () => {
		receiver = await startReceiver();
		for (const value of ['q7w', 'Bearer zx81234']) {
			const { error } = await dispatch({ body: '{}' }, { credential: { secretHeaders: JSON.stringify({ 'X-Key': value }) } });
			expect(error?.message).toMatch(/secretHeaders.*"X-Key" is too short to keep secret; use at least 8 characters/);
			expect(JSON.stringify(error)).not.toContain(value);
		}
		expect(receiver.requests).toHaveLength(0);
	});

	it('a template that grows text without bound fails that item by Failure (kind template); the others are sent', async () => {
		receiver = await startReceiver();
		const body = '@{ set a = x }@{ for i in list }@{ set a = a & a }@{ end for }{"n": ${ Length(a) }}';
		const items = [
			{ x: 'ab', list: [1, 2, 3] },
			{ x: 'ab', list: Array.from({ length: 100 }, (_, i) => i) },
		];
		const { success, failure, error } = await dispatch({ body }, { items });
		expect(error).toBeUndefined();
		expect(success).toHaveLength(1);
		expect(failure).toEqual([
			expect.objectContaining({
				attempts: [],
				error: { kind: 'template', message: expect.stringMatching(/^body: Text joined with "&" would be longer than 1000000 characters \(line 1, column 46/) },
			}),
		]);
		expect(receiver.requests.map((request) => request.body)).toEqual(['{"n": 16}']);
	});

	it('a header value with CR LF from the item fails that item at once: nothing sent, no retry', async () => {
		receiver = await startReceiver(() => ({ status: 503, body: {} }));
		const { failure } = await dispatch(
			{ body: '{"id": "${ WebhookRequest.TransactionalId }"}', headers: { parameter: [{ name: 'X-Note', value: '${ note }' }] } },
			{ items: [{ note: 'ok\r\nX-Injected: 1' }] },
		);
		expect(failure).toEqual([
			expect.objectContaining({
				attempts: [],
				error: { kind: 'template', message: expect.stringMatching(/^header "X-Note": the value contains a line break/) },
			}),
		]);
		expect(receiver.requests).toHaveLength(0);
	});

	it('a decimal timeout (16.1 s) works', async () => {
		receiver = await startReceiver();
		const { success, error } = await dispatch({ body: '{}' }, { credential: { timeoutSeconds: 16.1 } });
		expect(error).toBeUndefined();
		expect(success).toHaveLength(1);
	});

	it('a broken Secret Headers field is reported without quoting it', async () => {
		receiver = await startReceiver();
		const { error } = await dispatch({ body: '{}' }, { credential: { secretHeaders: `{"Authorization": "${SECRET_VALUE}"` } });
		expect(error?.message).toBe('Webhook Integration credential: Secret Headers is not valid JSON; write an object such as {"X-Team": "qa"}');
		expect(JSON.stringify(error)).not.toContain(SECRET_VALUE);
	});

	it('503 then 200 leaves by Success with 2 attempts', async () => {
		let calls = 0;
		receiver = await startReceiver(() => ({ status: calls++ === 0 ? 503 : 200, body: {}, headers: { 'retry-after': '0' } }));
		const { success } = await dispatch({ body: '{"id": "${ WebhookRequest.TransactionalId }"}' });
		expect(success).toHaveLength(1);
		expect((success[0].attempts as unknown[]).length).toBe(2);
	});

	it('signs with Standard Webhooks: the package and our trigger both verify it', async () => {
		receiver = await startReceiver();
		const signingSecret = newStandardSecret();
		const { success } = await dispatch(
			{ body: '{"event": "${ event }"}', transactionalId: 'msg_fixed_1' },
			{ items: [{ event: 'RUN_FINISH' }], credential: { signingSecret } },
		);
		expect(success).toHaveLength(1);
		const [delivery] = receiver.requests;
		expect(delivery.headers['webhook-id']).toBe('msg_fixed_1');
		const headers = {
			'webhook-id': String(delivery.headers['webhook-id']),
			'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
			'webhook-signature': String(delivery.headers['webhook-signature']),
		};
		expect(new Webhook(signingSecret).verify(delivery.body, headers)).toEqual({ event: 'RUN_FINISH' });
		expect(verifyStandardWebhook({ headers, rawBody: Buffer.from(delivery.body), secrets: [signingSecret], toleranceSeconds: 300, nowMs: Date.now() })).toEqual(
			{ ok: true, deliveryId: 'msg_fixed_1' },
		);
		expect(JSON.stringify(success)).not.toContain(signingSecret.slice(6));
	});

	it('blockPrivateNetworks sends the item to Failure with kind "blocked"', async () => {
		receiver = await startReceiver();
		const { failure } = await dispatch({ body: '{}' }, { credential: { blockPrivateNetworks: true } });
		expect(failure[0].error).toMatchObject({ kind: 'blocked' });
		expect(receiver.requests).toHaveLength(0);
	});
});

describe('Webhook Dispatch rate limit', () => {
	const maxInAnySecond = (times: number[]) => {
		const sorted = [...times].sort((a, b) => a - b);
		let max = 0;
		for (let i = 0, j = 0; i < sorted.length; i++) {
			while (sorted[i] - sorted[j] >= 1000) j++;
			max = Math.max(max, i - j + 1);
		}
		return max;
	};

	// Counted where the node starts each request: when the receiver sees them depends on how busy
	// the machine is (it shares this process), which no client can promise.
	const starts = (items: Array<Record<string, unknown>>) => items.map((item) => Date.parse((item.attempts as Array<{ startedAt: string }>)[0].startedAt));

	it('60 items at 20/s start no more than 20 in any second', async () => {
		receiver = await startReceiver();
		const items = Array.from({ length: 60 }, (_, n) => ({ n }));
		const { success } = await dispatch(
			{ body: '{"n": ${ n }}', options: { concurrency: 10 } },
			{ items, credential: { rateLimitPerSecond: 20 }, credentialId: 'rate-a' },
		);
		expect(success).toHaveLength(60);
		expect(maxInAnySecond(starts(success))).toBeLessThanOrEqual(20);
	});

	it('two nodes sharing a credential share the budget', async () => {
		receiver = await startReceiver();
		const items = Array.from({ length: 30 }, (_, n) => ({ n }));
		const options = { items, credential: { rateLimitPerSecond: 20 }, credentialId: 'rate-shared' };
		const [first, second] = await Promise.all([
			dispatch({ body: '{"n": ${ n }}', options: { concurrency: 10 } }, options),
			dispatch({ body: '{"n": ${ n }}', options: { concurrency: 10 } }, options),
		]);
		expect(first.success).toHaveLength(30);
		expect(second.success).toHaveLength(30);
		expect(maxInAnySecond(starts([...first.success, ...second.success]))).toBeLessThanOrEqual(20);
	});
});

describe('Webhook Dispatch when an item cannot be prepared', () => {
	it('the node fails only after every request it started has been answered, and starts no more', async () => {
		let answered = 0;
		receiver = await startLoopbackServer(async (_request, res) => {
			await new Promise((resolve) => setTimeout(resolve, 300));
			answered++;
			res.end('{}');
		});
		const items = [{ id: 'a' }, {}, { id: 'c' }, { id: 'd' }];
		// The second item's expression refers to a node that does not exist: n8n throws for that item only.
		const { error } = await dispatch(
			{ body: '{}', transactionalId: '={{ $json.id ? $json.id : $("Nowhere").item.json.id }}', options: { concurrency: 2 } },
			{ items },
		);
		expect(error?.message).toBe("Referenced node doesn't exist");
		expect(receiver.requests).toHaveLength(1);
		expect(answered).toBe(1);
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(receiver.requests).toHaveLength(1);
	});
});

describe('Webhook Dispatch: a header HTTP refuses (issue 24 item 6)', () => {
	it.each([
		[
			'the node',
			{
				headers: {
					parameter: [
						{ name: 'Expect', value: '100-continue' },
						{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' },
					],
				},
			},
			{},
			'Expect',
		],
		[
			'the integration',
			{ headers: { parameter: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }] } },
			{ headers: JSON.stringify({ 'Transfer-Encoding': 'chunked' }) },
			'Transfer-Encoding',
		],
		[
			'the secret headers',
			{ headers: { parameter: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }] } },
			{ secretHeaders: JSON.stringify({ Connection: `close ${SECRET_VALUE}` }) },
			'Connection',
		],
	])('from %s: the item fails as a template error naming the header; nothing is sent, nothing retried', async (_from, parameters, credential, name) => {
		receiver = await startReceiver();
		const { failure, success } = await dispatch({ body: '{}', ...parameters, options: { maxRetries: 3 }, onFailure: 'routeToFailureOutput' }, { credential });
		expect(success).toEqual([]);
		expect(failure).toHaveLength(1);
		expect(failure[0].error).toEqual({
			kind: 'template',
			message: expect.stringMatching(new RegExp(`^header "${name}": cannot be set: .*; nothing was sent$`)),
		});
		expect(failure[0].attempts).toEqual([]);
		expect(JSON.stringify(failure)).not.toContain(SECRET_VALUE);
		expect(receiver.requests).toHaveLength(0);
	});
});

describe('Webhook Dispatch Full Response option', () => {
	const answers = (request: RecordedRequest) => {
		const n = (JSON.parse(request.body) as { n: number }).n;
		if (n === 1) return { status: 200, body: { accepted: true, id: 'r-1' } };
		if (n === 2) return { status: 200, body: 'plain words', headers: { 'content-type': 'text/plain' } };
		return { status: 500, body: { error: 'down' } };
	};
	const items = [{ n: 1 }, { n: 2 }, { n: 3 }];
	// The receiver writes every body as JSON text; with content-type text/plain it stays text.
	const text = JSON.stringify('plain words');
	const parameters = (fullResponse?: boolean) => ({
		body: '{"n": ${ n }}',
		onFailure: 'routeToFailureOutput',
		options: { maxRetries: 0, ...(fullResponse === undefined ? {} : { fullResponse }) },
	});

	it('is on by default: Success items hold the whole result', async () => {
		receiver = await startReceiver(answers);
		const { success } = await dispatch(parameters(), { items });
		expect(success).toHaveLength(2);
		expect(success[1]).toMatchObject({ success: true, statusCode: 200, body: text, transactionalId: expect.any(String) });
		expect(Object.keys(success[0])).toEqual(expect.arrayContaining(['success', 'statusCode', 'headers', 'body', 'transactionalId', 'attempts', 'request']));
	});

	it('off: a Success item is the answer body (an object as it is, text as {body}); Failure items keep the whole result', async () => {
		receiver = await startReceiver(answers);
		const { success, failure } = await dispatch(parameters(false), { items });
		expect(success).toEqual([{ accepted: true, id: 'r-1' }, { body: text }]);
		expect(failure).toHaveLength(1);
		expect(failure[0]).toMatchObject({ success: false, statusCode: 500, body: { error: 'down' } });
	});
});
