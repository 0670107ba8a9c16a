import { parseHookHeaders, sampleRunEvent } from '../../lib/currents';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { node, NodeTypeRegistry } from '../support/engine';
import { startFakeCurrents, type FakeCurrents } from '../../tools/fakeCurrents';
import { TriggerHarness } from '../support/webhook';

const nodeTypes = new NodeTypeRegistry({ testRunTrigger: new TestRunTrigger() });
let fake: FakeCurrents;
let counter = 0;

beforeEach(async () => {
	fake = await startFakeCurrents();
});
afterEach(async () => {
	await fake.close();
});

function automaticTrigger(events = ['RUN_FINISH', 'RUN_TIMEOUT']) {
	counter++;
	const trigger = node(
		'testRunTrigger',
		{ source: 'currents', registration: 'automatic', projectId: { __rl: true, mode: 'id', value: 'proj_web' }, events } as never,
		{ name: 'Test Run Trigger', webhookId: `auto-${counter}`, credentials: { testRunPlatformApi: { id: '1', name: 'Currents' } } },
	);
	return new TriggerHarness(nodeTypes, trigger, { testRunPlatformApi: { baseUrl: fake.baseUrl, apiKey: fake.apiKey } });
}

const hooksOf = (url: string) => [...fake.hooks.values()].filter((hook) => hook.url === url);

describe('Test Run Trigger: automatic Currents registration', () => {
	it('activation creates exactly one hook with the URL, the events and the secret header', async () => {
		const harness = automaticTrigger();
		await harness.activate();
		const hooks = hooksOf(harness.url);
		expect(hooks).toHaveLength(1);
		expect(hooks[0]).toMatchObject({ projectId: 'proj_web', hookEvents: ['RUN_FINISH', 'RUN_TIMEOUT'], label: 'n8n: Test workflow / Test Run Trigger' });
		const headers = parseHookHeaders(hooks[0].headers);
		expect(Object.keys(headers)).toEqual(['x-webhook-secret']);
		expect(headers['x-webhook-secret']).toMatch(/^[0-9a-f]{64}$/);
	});

	it('keeps only the hook id in static data, never the secret', async () => {
		const harness = automaticTrigger();
		await harness.activate();
		const [hook] = hooksOf(harness.url);
		const secret = parseHookHeaders(hook.headers)['x-webhook-secret'];
		expect(JSON.stringify(harness.staticData)).toContain(hook.hookId);
		expect(JSON.stringify(harness.staticData)).not.toContain(secret);
	});

	it('a delivery from the platform with the registered headers starts the workflow', async () => {
		const harness = automaticTrigger();
		await harness.activate();
		const [hook] = hooksOf(harness.url);
		const body = JSON.stringify(sampleRunEvent('RUN_FINISH'));
		const headers = { ...parseHookHeaders(hook.headers), 'x-timestamp': String(Date.now()), 'content-type': 'application/json' };
		expect(await harness.deliver(headers, body)).toEqual({ status: 200, body: { received: true } });
		expect(await harness.deliver({ ...headers, 'x-webhook-secret': 'guess' }, body)).toMatchObject({ status: 401 });
		expect(harness.executions).toHaveLength(1);
	});

	it('three restarts and re-activations leave exactly one hook, even when static data is lost', async () => {
		const harness = automaticTrigger();
		await harness.activate();
		const [first] = hooksOf(harness.url);
		await harness.activate();
		await harness.activate();
		harness.staticData = {};
		await harness.activate();
		expect(hooksOf(harness.url).map((hook) => hook.hookId)).toEqual([first.hookId]);
		expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
	});

	it('changing the events updates the hook in place', async () => {
		const harness = automaticTrigger();
		await harness.activate();
		const [before] = hooksOf(harness.url);
		harness.trigger.parameters.events = ['RUN_START', 'RUN_CANCELED'];
		await harness.activate();
		const after = hooksOf(harness.url);
		expect(after).toHaveLength(1);
		expect(after[0]).toMatchObject({ hookId: before.hookId, hookEvents: ['RUN_START', 'RUN_CANCELED'] });
		expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
	});

	it('a changed webhook URL moves the same hook instead of leaving the old one behind', async () => {
		const harness = automaticTrigger();
		await harness.activate();
		const [before] = hooksOf(harness.url);
		harness.trigger.webhookId = `${harness.trigger.webhookId}-moved`;
		await harness.activate();
		expect([...fake.hooks.values()]).toEqual([expect.objectContaining({ hookId: before.hookId, url: harness.url })]);
	});

	it('a hook deleted on the platform is recreated on the next activation', async () => {
		const harness = automaticTrigger();
		await harness.activate();
		fake.hooks.clear();
		await harness.activate();
		expect(hooksOf(harness.url)).toHaveLength(1);
	});

	it.each([
		['missing', null],
		['changed', JSON.stringify({ 'x-webhook-secret': 'tampered' })],
		['joined by another header', null],
	])('a secret header that is %s is healed', async (label, headers) => {
		const harness = automaticTrigger();
		await harness.activate();
		const [hook] = hooksOf(harness.url);
		const good = hook.headers!;
		const extra = label === 'joined by another header' ? JSON.stringify({ ...JSON.parse(good), 'x-extra': '1' }) : headers;
		fake.hooks.set(hook.hookId, { ...hook, headers: extra });
		await harness.activate();
		expect(fake.hooks.get(hook.hookId)!.headers).toBe(good);
	});

	it('after the API key is rotated, deliveries get a 401 that says so, and the next activation re-syncs the same hook', async () => {
		const harness = automaticTrigger();
		await harness.activate();
		const [hook] = hooksOf(harness.url);
		const oldHeaders = parseHookHeaders(hook.headers);
		const otherKey = `${fake.apiKey}-rotated`;
		// The fake accepts one key; a second fake with the hook mirrors rotating it in the dashboard.
		const rotated = await startFakeCurrents({ apiKey: otherKey });
		try {
			rotated.hooks.set(hook.hookId, hook);
			harness.credentials = { testRunPlatformApi: { baseUrl: rotated.baseUrl, apiKey: otherKey } };
			const body = JSON.stringify(sampleRunEvent('RUN_FINISH'));
			const stale = await harness.deliver({ ...oldHeaders, 'x-timestamp': String(Date.now()) }, body);
			expect(stale.status).toBe(401);
			expect((stale.body as { error: string }).error).toMatch(
				/^Unauthorized: wrong value in header x-webhook-secret\. This trigger's secret is derived from the Currents API key: .*Activate the workflow again/,
			);

			// Activation: checkExists finds the hook, sees its secret header is stale and updates it in place.
			expect(await harness.lifecycle('checkExists')).toBe(true);
			const synced = rotated.hooks.get(hook.hookId)!;
			expect(parseHookHeaders(synced.headers)['x-webhook-secret']).not.toBe(oldHeaders['x-webhook-secret']);
			expect(rotated.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'PUT']);
			const fresh = await harness.deliver({ ...parseHookHeaders(synced.headers), 'x-timestamp': String(Date.now()) }, body);
			expect(fresh).toEqual({ status: 200, body: { received: true } });
		} finally {
			await rotated.close();
		}
	});

	it('a wrong secret in manual mode gets no hint about API keys', async () => {
		const harness = automaticTrigger();
		harness.trigger.parameters.registration = 'manual';
		harness.trigger.credentials = { testRunWebhookSecret: { id: '2', name: 'Secret' } };
		harness.credentials = { testRunWebhookSecret: { secret: 'currents-shared-secret', previousSecret: '' } };
		const answer = await harness.deliver({ 'x-webhook-secret': 'a-guess-of-sixteen-bytes', 'x-timestamp': String(Date.now()) }, '{}');
		expect(answer).toEqual({ status: 401, body: { error: 'Unauthorized: wrong value in header x-webhook-secret' } });
	});

	it('a changed project moves the hook: the old project keeps none, the new one has one', async () => {
		const harness = automaticTrigger();
		await harness.activate();
		harness.trigger.parameters.projectId = { __rl: true, mode: 'id', value: 'proj_mobile' };
		await harness.activate();
		expect([...fake.hooks.values()].map((hook) => [hook.projectId, hook.url])).toEqual([['proj_mobile', harness.url]]);
	});

	it('manual registration leaves the platform alone: every lifecycle method succeeds without an API call', async () => {
		const harness = automaticTrigger();
		harness.trigger.parameters.registration = 'manual';
		for (const method of ['checkExists', 'create', 'delete'] as const) expect(await harness.lifecycle(method)).toBe(true);
		expect(fake.requests).toHaveLength(0);
		expect(fake.hooks.size).toBe(0);
	});

	it.each(['maestro', 'autosana', 'standardWebhooks'])('source %s registers nothing on Currents', async (source) => {
		const harness = automaticTrigger();
		harness.trigger.parameters.source = source;
		for (const method of ['checkExists', 'create', 'delete'] as const) expect(await harness.lifecycle(method)).toBe(true);
		expect(fake.requests).toHaveLength(0);
	});

	describe('listening for a test event on an active workflow', () => {
		it('adds a [test] hook for the Test URL, leaves the production hook alone, and removes only the test hook when listening stops', async () => {
			const harness = automaticTrigger();
			await harness.activate();
			const [production] = hooksOf(harness.url);
			const productionMemory = { ...(harness.staticData['node:Test Run Trigger'] as object) };

			await harness.listenForTestEvent();
			const [test] = hooksOf(harness.testUrl);
			expect(test).toMatchObject({ projectId: 'proj_web', label: '[test] n8n: Test workflow / Test Run Trigger' });
			expect(test.hookId).not.toBe(production.hookId);
			expect(fake.hooks.get(production.hookId)).toEqual(production);

			// Listening again (n8n re-registers on every click) keeps the one test hook.
			await harness.listenForTestEvent();
			expect(hooksOf(harness.testUrl)).toHaveLength(1);

			expect(await harness.lifecycle('delete', 'update', { test: true })).toBe(true);
			expect(hooksOf(harness.testUrl)).toHaveLength(0);
			expect(fake.hooks.get(production.hookId)).toEqual(production);
			expect(harness.staticData['node:Test Run Trigger']).toEqual(productionMemory);

			// Deactivating afterwards still removes the production hook.
			await harness.lifecycle('delete');
			expect(fake.hooks.size).toBe(0);
		});

		it('a test delivery and the same delivery to the production URL both start an execution', async () => {
			const harness = automaticTrigger();
			await harness.activate();
			await harness.listenForTestEvent();
			const [test] = hooksOf(harness.testUrl);
			const [production] = hooksOf(harness.url);
			const body = JSON.stringify(sampleRunEvent('RUN_FINISH'));
			const now = String(Date.now());
			// Both hooks carry the same derived secret: it belongs to the trigger, not the URL.
			expect(test.headers).toBe(production.headers);
			const headers = { ...parseHookHeaders(production.headers), 'x-timestamp': now };
			expect(await harness.deliver(headers, body, { test: true })).toEqual({ status: 200, body: { received: true } });
			expect(await harness.deliver(headers, body)).toEqual({ status: 200, body: { received: true } });
			expect(await harness.deliver(headers, body)).toEqual({ status: 200, body: { received: true, duplicate: true } });
			expect(await harness.deliver(headers, body, { test: true })).toEqual({ status: 200, body: { received: true, duplicate: true } });
			expect(harness.executions.map((run) => run.mode)).toEqual(['manual', 'webhook']);
		});
	});

	it('deactivation deletes the hook, and deleting an already deleted hook is not an error', async () => {
		const harness = automaticTrigger();
		await harness.activate();
		expect(await harness.lifecycle('delete')).toBe(true);
		expect(hooksOf(harness.url)).toHaveLength(0);
		expect(harness.staticData).toEqual({ 'node:Test Run Trigger': {} });

		await harness.activate();
		const [hook] = hooksOf(harness.url);
		fake.hooks.delete(hook.hookId);
		await expect(harness.lifecycle('delete')).resolves.toBe(true);
	});

	it('the API down at activation gives an error that says so', async () => {
		const harness = automaticTrigger();
		fake.inject({ kind: 'status', status: 503, body: { status: 'FAILED', error: 'maintenance' } });
		await expect(harness.activate()).rejects.toThrow(/Could not check the Currents webhook: .*503: maintenance/);
		await fake.close();
		await expect(harness.activate()).rejects.toThrow(/Could not check the Currents webhook: .*could not reach the API/);
	});

	it('a wrong API key at activation says to check it', async () => {
		const harness = automaticTrigger();
		harness.credentials = { testRunPlatformApi: { baseUrl: fake.baseUrl, apiKey: 'not-the-key' } };
		const error = (await harness.activate().catch((e: unknown) => e)) as { message: string; description: string };
		expect(error.message).toMatch(/401/);
		expect(error.description).toMatch(/Check the API key/);
	});
});
