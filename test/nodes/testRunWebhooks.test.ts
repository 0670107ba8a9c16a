import { TestRunWebhooks } from '../../nodes/TestRunWebhooks/TestRunWebhooks.node';
import { itemsInto, node, NodeTypeRegistry, outputOf, pairedItemsOf, runWorkflow } from '../support/engine';
import { startFakeCurrents, type FakeCurrents } from '../../tools/fakeCurrents';
import { startReceiver } from '../../tools/httpServer';

const nodeTypes = new NodeTypeRegistry({ testRunWebhooks: new TestRunWebhooks() });
let fake: FakeCurrents;

beforeEach(async () => {
	fake = await startFakeCurrents();
});
afterEach(async () => {
	await fake.close();
});

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

type OnError = 'continueRegularOutput' | 'continueErrorOutput';

async function runNode(parameters: Record<string, unknown>, options: { items?: object[]; apiKey?: string; onError?: OnError } = {}) {
	const target = node('testRunWebhooks', { resource: 'webhook', ...parameters } as never, {
		name: 'Webhooks',
		credentials: { testRunPlatformApi: { id: '1', name: 'Currents' } },
		...(options.onError ? { onError: options.onError } : {}),
	});
	const run = await runWorkflow({
		...itemsInto(target, (options.items ?? [{}]) as never),
		nodeTypes,
		startNode: 'Items',
		credentials: { testRunPlatformApi: { baseUrl: fake.baseUrl, apiKey: options.apiKey ?? fake.apiKey } },
	});
	return { run, output: outputOf(run, 'Webhooks'), error: run.data.resultData.error };
}

describe('Test Run Webhooks: create', () => {
	it('creates a webhook with events, label and headers, masking header values in the output', async () => {
		const { output, error } = await runNode({
			operation: 'create',
			projectId: byId('proj_web'),
			url: 'https://n8n.example.com/webhook/abc',
			hookEvents: ['RUN_FINISH', 'RUN_TIMEOUT'],
			additionalFields: { label: 'n8n', headers: { header: [{ name: 'x-webhook-secret', value: 's3cr3t' }] } },
		});
		expect(error).toBeUndefined();
		expect(output).toHaveLength(1);
		expect(output[0]).toMatchObject({
			projectId: 'proj_web',
			url: 'https://n8n.example.com/webhook/abc',
			hookEvents: ['RUN_FINISH', 'RUN_TIMEOUT'],
			label: 'n8n',
			headers: { 'x-webhook-secret': '***' },
		});
		expect(JSON.stringify(output)).not.toContain('s3cr3t');
		const stored = fake.hooks.get(output[0].hookId as string)!;
		expect(JSON.parse(stored.headers!)).toEqual({ 'x-webhook-secret': 's3cr3t' });
		const post = fake.requests.find((r) => r.method === 'POST')!;
		expect(post.url).toBe('/v1/webhooks?projectId=proj_web');
		expect(post.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
	});
});

async function seedHook(overrides: Record<string, unknown> = {}) {
	const { output } = await runNode({
		operation: 'create',
		projectId: byId('proj_web'),
		url: 'https://n8n.example.com/webhook/seed',
		hookEvents: ['RUN_FINISH'],
		additionalFields: { label: 'seed', headers: { header: [{ name: 'x-webhook-secret', value: 'hunter2' }] } },
		...overrides,
	});
	fake.requests.length = 0;
	return output[0].hookId as string;
}

describe('Test Run Webhooks: read operations', () => {
	it('gets one webhook, masking header values by default', async () => {
		const hookId = await seedHook();
		const { output } = await runNode({ operation: 'get', hookId: byId(hookId) });
		expect(output).toEqual([expect.objectContaining({ hookId, label: 'seed', hookEvents: ['RUN_FINISH'], headers: { 'x-webhook-secret': '***' } })]);
		expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET /v1/webhooks/${hookId}`]);
	});

	it('reveals header values when revealHeaderValues is on', async () => {
		const hookId = await seedHook();
		const { output } = await runNode({ operation: 'get', hookId: byId(hookId), options: { revealHeaderValues: true } });
		expect(output[0].headers).toEqual({ 'x-webhook-secret': 'hunter2' });
	});

	it('lists all webhooks of a project, or up to the limit, each paired with its input item', async () => {
		for (let i = 0; i < 3; i++) await seedHook({ url: `https://n8n.example.com/webhook/${i}` });
		await runNode({ operation: 'create', projectId: byId('proj_mobile'), url: 'https://other.example.com/', hookEvents: ['RUN_START'] });

		const all = await runNode({ operation: 'getAll', projectId: byId('proj_web'), returnAll: true });
		expect(all.output.map((hook) => hook.url)).toEqual([0, 1, 2].map((i) => `https://n8n.example.com/webhook/${i}`));
		expect(pairedItemsOf(all.run, 'Webhooks')).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);

		const limited = await runNode({ operation: 'getAll', projectId: byId('proj_web'), returnAll: false, limit: 2 });
		expect(limited.output).toHaveLength(2);
	});

	it('runs once per input item', async () => {
		const hookId = await seedHook();
		const { run, output } = await runNode({ operation: 'get', hookId: byId(hookId) }, { items: [{ a: 1 }, { a: 2 }] });
		expect(output).toHaveLength(2);
		expect(pairedItemsOf(run, 'Webhooks')).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('Test Run Webhooks: update and delete', () => {
	it('updates only the fields given', async () => {
		const hookId = await seedHook();
		const { output } = await runNode({ operation: 'update', hookId: byId(hookId), updateFields: { label: 'renamed' } });
		expect(output[0]).toMatchObject({ hookId, label: 'renamed', url: 'https://n8n.example.com/webhook/seed', hookEvents: ['RUN_FINISH'] });
		expect(JSON.parse(fake.requests[0].body)).toEqual({ label: 'renamed' });
		expect(JSON.parse(fake.hooks.get(hookId)!.headers!)).toEqual({ 'x-webhook-secret': 'hunter2' });
	});

	it('changes events and headers, and can remove all headers', async () => {
		const hookId = await seedHook();
		await runNode({
			operation: 'update',
			hookId: byId(hookId),
			updateFields: { hookEvents: ['RUN_START', 'RUN_CANCELED'], headers: { header: [{ name: 'x-new', value: 'v' }] } },
		});
		expect(fake.hooks.get(hookId)).toMatchObject({ hookEvents: ['RUN_START', 'RUN_CANCELED'], headers: '{"x-new":"v"}' });
		await runNode({ operation: 'update', hookId: byId(hookId), updateFields: { clearHeaders: true } });
		expect(fake.hooks.get(hookId)!.headers).toBeNull();
	});

	it('refuses an update with no fields before any request', async () => {
		const hookId = await seedHook();
		const { error } = await runNode({ operation: 'update', hookId: byId(hookId), updateFields: {} });
		expect(error?.message).toMatch(/at least one field/);
		expect(fake.requests).toHaveLength(0);
	});

	it('deletes a webhook', async () => {
		const hookId = await seedHook();
		const { output } = await runNode({ operation: 'delete', hookId: byId(hookId) });
		expect(output).toEqual([{ hookId, deleted: true }]);
		expect(fake.hooks.has(hookId)).toBe(false);
	});
});

describe('Test Run Webhooks: send test', () => {
	it("posts a sample event to the webhook's URL with its headers and a fresh x-timestamp", async () => {
		const receiver = await startReceiver(() => ({ status: 202, body: { accepted: true } }));
		try {
			const hookId = await seedHook({ url: `${receiver.url}/hook` });
			const before = Date.now();
			const { output } = await runNode({ operation: 'sendTest', hookId: byId(hookId), event: 'RUN_TIMEOUT' });
			expect(output[0]).toMatchObject({ hookId, event: 'RUN_TIMEOUT', success: true, statusCode: 202, responseBody: { accepted: true } });
			expect(typeof output[0].durationMs).toBe('number');
			const [delivery] = receiver.requests;
			expect(delivery.method).toBe('POST');
			expect(delivery.url).toBe('/hook');
			expect(delivery.headers['x-webhook-secret']).toBe('hunter2');
			expect(Number(delivery.headers['x-timestamp'])).toBeGreaterThanOrEqual(before);
			expect(JSON.parse(delivery.body)).toMatchObject({ event: 'RUN_TIMEOUT', runUrl: expect.any(String), commit: expect.any(Object) });
		} finally {
			await receiver.close();
		}
	});

	it('reports a non-2xx answer as an unsuccessful test, not an error', async () => {
		const receiver = await startReceiver(() => ({ status: 401, body: { error: 'bad secret' } }));
		try {
			const hookId = await seedHook({ url: `${receiver.url}/hook` });
			const { output, error } = await runNode({ operation: 'sendTest', hookId: byId(hookId), event: 'RUN_FINISH' });
			expect(error).toBeUndefined();
			expect(output[0]).toMatchObject({ success: false, statusCode: 401, responseBody: { error: 'bad secret' } });
		} finally {
			await receiver.close();
		}
	});

	it('masks header values the receiver echoes in its response body, in any form, unless revealHeaderValues is on', async () => {
		const receiver = await startReceiver((request) => {
			const secret = String(request.headers['x-webhook-secret']);
			return { status: 200, body: { echoed: secret, encoded: `?s=${encodeURIComponent(secret)}`, headers: request.headers } };
		});
		try {
			const hookId = await seedHook({
				url: `${receiver.url}/hook`,
				additionalFields: { headers: { header: [{ name: 'x-webhook-secret', value: 'hun"ter/2' }] } },
			});
			const masked = await runNode({ operation: 'sendTest', hookId: byId(hookId), event: 'RUN_FINISH' });
			expect(masked.output[0].responseBody).toMatchObject({ echoed: '***', encoded: '?s=***', headers: { 'x-webhook-secret': '***' } });
			expect(JSON.stringify(masked.output)).not.toMatch(/hun\\"ter|ter%2F2/);
			const revealed = await runNode({ operation: 'sendTest', hookId: byId(hookId), event: 'RUN_FINISH', options: { revealHeaderValues: true } });
			expect(revealed.output[0].responseBody).toMatchObject({ echoed: 'hun"ter/2' });
		} finally {
			await receiver.close();
		}
	});

	it('a hook header no client can send (CR LF, set on the platform) fails naming the header; nothing is sent', async () => {
		const receiver = await startReceiver();
		try {
			const hookId = await seedHook({ url: `${receiver.url}/hook` });
			fake.hooks.get(hookId)!.headers = JSON.stringify({ 'x-webhook-secret': 'hunter2\r\nx-injected: 1' });
			const { error } = await runNode({ operation: 'sendTest', hookId: byId(hookId), event: 'RUN_FINISH' });
			expect(error?.message).toMatch(/The webhook's header "x-webhook-secret": the value contains a line break/);
			expect(JSON.stringify(error)).not.toContain('hunter2');
			expect(receiver.requests).toHaveLength(0);
		} finally {
			await receiver.close();
		}
	});

	it.each([
		['Transfer-Encoding', 'chunked'],
		['Expect', '100-continue'],
		['Keep-Alive', 'timeout=5'],
		['Content-Length', '12'],
	])('a hook header %s (set on the platform) fails as an input error naming it, not "Could not reach"; nothing is sent', async (name, value) => {
		const receiver = await startReceiver();
		try {
			const hookId = await seedHook({ url: `${receiver.url}/hook` });
			fake.hooks.get(hookId)!.headers = JSON.stringify({ 'x-webhook-secret': 'hunter2', [name]: value });
			const { error } = await runNode({ operation: 'sendTest', hookId: byId(hookId), event: 'RUN_FINISH' });
			expect(error?.message).toMatch(new RegExp(`^The webhook's header "${name}": (cannot be set|does not match)`));
			expect(error?.message).not.toMatch(/Could not reach/);
			expect(receiver.requests).toHaveLength(0);
		} finally {
			await receiver.close();
		}
	});

	it('fails with a clear error when the webhook URL cannot be reached', async () => {
		const receiver = await startReceiver();
		const deadUrl = `${receiver.url}/hook`;
		await receiver.close();
		const hookId = await seedHook({ url: deadUrl });
		const { error } = await runNode({ operation: 'sendTest', hookId: byId(hookId), event: 'RUN_FINISH' });
		expect(error?.message).toBe(`Could not reach the webhook URL ${deadUrl}`);
		expect((error as { description?: string }).description).toMatch(/ECONNREFUSED/);
	});
});

describe('Test Run Webhooks: input limits are enforced before any request', () => {
	const create = (overrides: Record<string, unknown>) => ({
		operation: 'create',
		projectId: byId('proj_web'),
		url: 'https://n8n.example.com/webhook/x',
		hookEvents: ['RUN_FINISH'],
		...overrides,
	});
	const cases: Array<[string, () => Record<string, unknown>, RegExp]> = [
		['a URL of 2049 characters', () => create({ url: `https://e.com/${'a'.repeat(2049 - 14)}` }), /URL is 2049 characters long; the API allows at most 2048/],
		['a URL that is not http(s)', () => create({ url: 'ftp://example.com/x' }), /URL must start with http/],
		[
			'headers JSON of 4097 characters',
			// {"x":"…"} puts 8 characters around the value
			() => create({ additionalFields: { headers: { header: [{ name: 'x', value: 'v'.repeat(4097 - 8) }] } } }),
			/Headers serialize to 4097 characters of JSON; the API allows at most 4096/,
		],
		[
			'an invalid header name',
			() => create({ additionalFields: { headers: { header: [{ name: 'bad name', value: 'v' }] } } }),
			/Header "bad name": not a valid header name/,
		],
		[
			'a header value with CR LF, which no client could send',
			() => create({ additionalFields: { headers: { header: [{ name: 'x-secret', value: 'abc\r\nx-injected: 1' }] } } }),
			/Header "x-secret": the value contains a line break \(CR or LF\)/,
		],
		['an empty label', () => create({ additionalFields: { label: '' } }), /Label must be 1 to 255 characters long \(got 0\)/],
		['a 256-character label', () => create({ additionalFields: { label: 'l'.repeat(256) } }), /Label must be 1 to 255 characters long \(got 256\)/],
		['an unknown event', () => create({ hookEvents: ['RUN_FINISH', 'RUN_EXPLODED'] }), /Unknown event "RUN_EXPLODED"/],
		['no events (from an expression)', () => create({ hookEvents: '={{ [] }}' }), /Choose at least one event/],
		[
			'a hookId that is not a UUID (from an expression)',
			() => ({ operation: 'get', hookId: byId('={{ "not-a-uuid" }}') }),
			/Webhook ID "not-a-uuid" is not a UUID/,
		],
		['a hookId that is not a UUID (delete)', () => ({ operation: 'delete', hookId: byId('={{ "123" }}') }), /Webhook ID "123" is not a UUID/],
	];

	it.each(cases)('refuses %s with a message naming the field', async (_name, parameters, message) => {
		const { error } = await runNode(parameters());
		expect(error?.message).toMatch(message);
		expect(fake.requests).toHaveLength(0);
	});

	it('a literal hookId that is not a UUID is flagged by the engine as a parameter issue', async () => {
		await expect(runNode({ operation: 'get', hookId: byId('not-a-uuid') })).rejects.toThrow(/A webhook ID is a UUID/);
		expect(fake.requests).toHaveLength(0);
	});

	it('accepts the limits themselves: a 2048-character URL, 4096 characters of headers, a 255-character label', async () => {
		const { output, error } = await runNode(
			create({
				url: `https://e.com/${'a'.repeat(2048 - 14)}`,
				additionalFields: { label: 'l'.repeat(255), headers: { header: [{ name: 'x', value: 'v'.repeat(4096 - 8) }] } },
			}),
		);
		expect(error).toBeUndefined();
		expect((output[0].url as string).length).toBe(2048);
	});
});

describe('Test Run Webhooks: API failures become helpful errors', () => {
	it('401: says to check the API key and never prints it', async () => {
		const wrongKey = `wrong-${fake.apiKey}-0123456789`;
		const { error } = await runNode({ operation: 'getAll', projectId: byId('proj_web'), returnAll: true }, { apiKey: wrongKey });
		expect(error?.message).toContain('401');
		expect((error as { description?: string }).description).toMatch(/Check the API key/);
		expect(JSON.stringify(error)).not.toContain(wrongKey);
	});

	it('404: names the id that was not found', async () => {
		const missing = '00000000-0000-4000-8000-000000000000';
		const { error } = await runNode({ operation: 'get', hookId: byId(missing) });
		expect(error?.message).toContain('404');
		expect((error as { description?: string }).description).toContain(`Webhook "${missing}" was not found`);
	});

	it('404 on an unknown project names the project', async () => {
		const { error } = await runNode({ operation: 'getAll', projectId: byId('proj_nope'), returnAll: true });
		expect((error as { description?: string }).description).toContain('Project "proj_nope" was not found');
	});

	it('500: passes on the API message and suggests trying again', async () => {
		fake.inject({ kind: 'status', status: 500, body: { status: 'FAILED', error: 'database unavailable' } });
		const { error } = await runNode({ operation: 'getAll', projectId: byId('proj_web'), returnAll: true });
		expect(error?.message).toContain('database unavailable');
		expect((error as { description?: string }).description).toMatch(/Try again later/);
	});

	it('a slow API hits the timeout', async () => {
		fake.inject({ kind: 'slow', ms: 2500 });
		const { error } = await runNode({ operation: 'getAll', projectId: byId('proj_web'), returnAll: true, options: { timeoutSeconds: 1 } });
		expect(error?.message).toMatch(/no answer within 1 s/);
	});

	it('a connection reset is reported as unreachable', async () => {
		fake.inject({ kind: 'reset' });
		const { error } = await runNode({ operation: 'getAll', projectId: byId('proj_web'), returnAll: true });
		expect(error?.message).toMatch(/could not reach the API at http:\/\/127\.0\.0\.1/);
		expect((error as { description?: string }).description).toMatch(/Check the Base URL/);
	});
});

describe('Test Run Webhooks: On Error', () => {
	const lookUp = (hookId: string, onError: OnError) =>
		runNode(
			{ operation: 'get', hookId: byId('={{ $json.id }}') },
			{
				items: [
					{ id: hookId, n: 1 },
					{ id: 'nope', n: 2 },
					{ id: crypto.randomUUID(), n: 3 },
					{ id: hookId, n: 4 },
				],
				onError,
			},
		);

	it('Continue (regular output): a failing item becomes an error item in its place, with the advice', async () => {
		const hookId = await seedHook();
		const { run, output, error } = await lookUp(hookId, 'continueRegularOutput');
		expect(error).toBeUndefined();
		expect(output).toHaveLength(4);
		expect(output[0].hookId).toBe(hookId);
		const notUuid = expect.stringMatching(/Webhook ID "nope" is not a UUID/);
		expect(output[1]).toEqual({ message: notUuid, error: { message: notUuid, description: 'Fix the "hookId" parameter.' } });
		expect(output[2]).toEqual({
			message: expect.any(String),
			error: { message: expect.any(String), description: expect.stringMatching(/^Webhook ".+" was not found/) },
		});
		expect(output[3].hookId).toBe(hookId);
		expect(pairedItemsOf(run, 'Webhooks')).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('Continue (using error output): n8n routes the failing items to the error output, merged with their input items', async () => {
		const hookId = await seedHook();
		const { run, output, error } = await lookUp(hookId, 'continueErrorOutput');
		expect(error).toBeUndefined();
		expect(output.map((item) => item.hookId)).toEqual([hookId, hookId]);
		expect(pairedItemsOf(run, 'Webhooks', 0)).toEqual([{ item: 0 }, { item: 3 }]);
		const errors = outputOf(run, 'Webhooks', 1);
		expect(errors).toEqual([
			{ id: 'nope', n: 2, message: expect.stringMatching(/is not a UUID/), error: expect.objectContaining({ description: 'Fix the "hookId" parameter.' }) },
			{ id: expect.any(String), n: 3, message: expect.any(String), error: expect.objectContaining({ description: expect.stringMatching(/was not found/) }) },
		]);
		expect(pairedItemsOf(run, 'Webhooks', 1)).toEqual([{ item: 1 }, { item: 2 }]);
	});
});
