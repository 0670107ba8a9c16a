import { randomUUID } from 'node:crypto';
import { startFakeCurrents, type FakeCurrents } from '../../tools/fakeCurrents';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest } from '../../tools/httpServer';
import { until } from '../../tools/until';
import { installN8n, N8nServer, packPackage } from '../../tools/n8nServer';
import { n8nVersions } from '../../tools/n8nVersions';
import { stopAfterSuite } from './support/suite';

/**
 * How the nodes fail inside real n8n: Webhook Dispatch 1.1 stops the workflow (the error
 * workflow runs), a retry from the executions list re-sends every item under the id it had,
 * Retry On Fail does not re-send delivered items (n8n's HTTP Request node does), and Test
 * Run Webhooks' error items reach n8n's error output.
 */
const VERSIONS = n8nVersions(process.env.E2E_N8N_VERSIONS);
const PKG = 'n8n-nodes-test-run-webhooks';
const IDS = {
	stop: 'e2eModesStop0001',
	errors: 'e2eModesErrors01',
	retryOnFail: 'e2eModesRetry001',
	onError: 'e2eModesOnError1',
};
const integration = { webhookIntegration: { id: 'e2eModesReceiver', name: 'Modes receiver' } };
const platform = { testRunPlatformApi: { id: 'e2eModesPlatform', name: 'Modes Currents' } };
const SECRET = 'Bearer modes-receiver-secret';
const ITEM_BODY = '{"event": "${ event }", "id": "${ WebhookRequest.TransactionalId }"}';

let position = 0;
const base = (name: string, type: string, typeVersion: number, parameters: object, extra: object = {}) => ({
	id: `${name.replace(/\W/g, '')}-${randomUUID().slice(0, 8)}`,
	name,
	type,
	typeVersion,
	position: [(position += 220), 300],
	parameters,
	...extra,
});
const start = (path: string) =>
	base('Start', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }, { webhookId: randomUUID() });
const splitItems = () => base('Split Items', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} });
const dispatch = (name: string, typeVersion: number, path: string, parameters: object = {}, extra: object = {}) =>
	base(
		name,
		`${PKG}.webhookDispatch`,
		typeVersion,
		{ method: 'POST', path, bodyContentType: 'json', body: ITEM_BODY, options: { maxRetries: 0 }, ...parameters },
		{ credentials: integration, ...extra },
	);
/** Reports the items it gets as they are, to see what an output carried. */
const report = (name: string, path: string) => dispatch(name, 1, path, { bodyContentType: 'text', body: '={{ JSON.stringify($json) }}' });
const link = (...to: string[]) => to.map((node) => ({ node, type: 'main', index: 0 }));
const workflow = (id: string, name: string, nodes: object[], connections: object, settings: object = {}) => ({
	id,
	name,
	active: false,
	nodes,
	connections,
	settings: { executionOrder: 'v1', ...settings },
	pinData: {},
});

function workflows(receiverUrl: string) {
	position = 0;
	const retryOnFail = { retryOnFail: true, maxTries: 2, waitBetweenTries: 1000 };
	return [
		workflow(
			IDS.stop,
			'E2E modes: Dispatch 1.1 stops the workflow',
			[start('modes-stop'), splitItems(), dispatch('Dispatch', 1.1, '/stop')],
			{ Start: { main: [link('Split Items')] }, 'Split Items': { main: [link('Dispatch')] } },
			{ errorWorkflow: IDS.errors },
		),
		workflow(
			IDS.errors,
			'E2E modes: error workflow',
			[
				base('Error Trigger', 'n8n-nodes-base.errorTrigger', 1, {}),
				dispatch('Tell', 1, '/error-workflow', { body: '{"message": "${ execution.error.message }", "node": "${ execution.lastNodeExecuted }"}' }),
			],
			{ 'Error Trigger': { main: [link('Tell')] } },
		),
		workflow(
			IDS.retryOnFail,
			'E2E modes: Retry On Fail, ours and HTTP Request',
			[
				start('modes-retry'),
				splitItems(),
				dispatch('Dispatch', 1.1, '/ours', {}, retryOnFail),
				base(
					'HTTP Request',
					'n8n-nodes-base.httpRequest',
					4.2,
					{
						method: 'POST',
						url: `${receiverUrl}/http`,
						sendBody: true,
						specifyBody: 'json',
						jsonBody: '={{ JSON.stringify({ event: $json.event }) }}',
						options: {},
					},
					retryOnFail,
				),
			],
			{ Start: { main: [link('Split Items')] }, 'Split Items': { main: [link('Dispatch', 'HTTP Request')] } },
		),
		workflow(
			IDS.onError,
			'E2E modes: Test Run Webhooks On Error',
			[
				start('modes-on-error'),
				splitItems(),
				...(['continueRegularOutput', 'continueErrorOutput'] as const).map((onError) =>
					base(
						onError,
						`${PKG}.testRunWebhooks`,
						1,
						{ resource: 'webhook', operation: 'get', hookId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } },
						{ credentials: platform, onError },
					),
				),
				report('Regular', '/regular'),
				report('Found', '/found'),
				report('Errors', '/errors'),
			],
			{
				Start: { main: [link('Split Items')] },
				'Split Items': { main: [link('continueRegularOutput', 'continueErrorOutput')] },
				continueRegularOutput: { main: [link('Regular')] },
				continueErrorOutput: { main: [link('Found'), link('Errors')] },
			},
		),
	];
}

function credentials(receiverUrl: string, fake: FakeCurrents) {
	return [
		{
			...integration.webhookIntegration,
			type: 'webhookIntegration',
			data: {
				rootUrl: receiverUrl,
				headers: '{}',
				secretHeaders: JSON.stringify({ Authorization: SECRET }),
				rateLimitPerSecond: 0,
				signingSecret: '',
				timeoutSeconds: 10,
				blockPrivateNetworks: false,
			},
		},
		{ ...platform.testRunPlatformApi, type: 'testRunPlatformApi', data: { baseUrl: fake.baseUrl, apiKey: fake.apiKey } },
	];
}

describe.each(VERSIONS)('real n8n %s: failing like a built-in node', (version) => {
	let n8n: N8nServer;
	let fake: FakeCurrents;
	let receiver: LoopbackServer;
	/** Answers 503 while `answer` says so, per request. */
	let answer: (request: RecordedRequest) => number = () => 200;
	const arrived = (path: string) => receiver.requests.filter((r) => r.url === path).map((r) => JSON.parse(r.body) as Record<string, unknown>);
	const trigger = async (path: string, items: object[]) => {
		const response = await fetch(`${n8n.baseUrl}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ items }),
		});
		expect(response.status).toBe(200);
		await response.text();
	};
	/** Executions of a workflow so far; waiting for webhooks to register started some. */
	const executionCount = async (workflowId: string) => (await n8n.executions(workflowId)).length;
	/**
	 * The `count` executions after the first `since`, newest first, once all have finished. A
	 * timeout says what the executions list last held (a rare one on n8n 1.x in cold CI: an
	 * execution finished in the database, yet not seen finished here).
	 */
	const finished = (workflowId: string, since: number, count: number) => {
		let lastRead: Array<{ id: string; status: string }> = [];
		const held = () => lastRead.map(({ id, status }) => `${id} ${status}`).join(', ') || 'nothing';
		return until(
			() => `${count} finished execution(s) of ${workflowId} (after the first ${since}; the list last held: ${held()})`,
			async () => {
				const list = (lastRead = await n8n.executions(workflowId));
				const fresh = list.slice(0, list.length - since);
				return fresh.length >= count && fresh.every((execution) => ['success', 'error', 'crashed'].includes(execution.status)) ? fresh : undefined;
			},
		);
	};

	beforeAll(async () => {
		const install = installN8n(version);
		fake = await startFakeCurrents();
		receiver = await startLoopbackServer((request, res) => {
			const status = answer(request);
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ ok: status < 300 }));
		});
		n8n = new N8nServer(install, packPackage());
		const all = workflows(receiver.url);
		// n8n 2.x runs only a published error workflow; 1.x runs it as saved.
		const published = install.major >= 2 ? all : all.filter((w) => w.id !== IDS.errors);
		n8n.importAndActivate(credentials(receiver.url, fake), published);
		if (published.length < all.length) n8n.importWorkflows(all.filter((w) => !published.includes(w)));
		await n8n.start();
		for (const path of ['modes-stop', 'modes-retry', 'modes-on-error']) await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${path}`);
		receiver.requests.length = 0;
	}, 30 * 60_000);

	stopAfterSuite(version, () => ({ n8n, servers: [fake, receiver] }));

	it('Dispatch 1.1: every delivery failing fails the execution and runs the error workflow; a retry from the executions list re-sends each item under its id', async () => {
		answer = (request) => (request.url === '/stop' ? 503 : 200);
		const since = await executionCount(IDS.stop);
		await trigger('modes-stop', [{ event: 'a' }, { event: 'b' }]);
		const [failed] = await finished(IDS.stop, since, 1);
		expect(failed.status).toBe('error');
		const firstTry = arrived('/stop');
		expect(firstTry.map((item) => item.event)).toEqual(['a', 'b']);

		const [told] = await until('the error workflow', () => (arrived('/error-workflow').length > 0 ? arrived('/error-workflow') : undefined));
		expect(told).toEqual({
			message: `2 of 2 deliveries failed: item 0: HTTP 503, transactional ID ${firstTry[0].id as string}; item 1: HTTP 503, transactional ID ${firstTry[1].id as string}`,
			node: 'Dispatch',
		});
		expect(JSON.stringify(told)).not.toContain(SECRET);

		// The receiver recovers; the user retries the failed execution with its original workflow.
		answer = () => 200;
		receiver.requests.length = 0;
		await n8n.rest('POST', `/executions/${failed.id}/retry`, { loadWorkflow: false });
		const [retried] = await finished(IDS.stop, since, 2);
		expect(retried.status).toBe('success');
		expect(arrived('/stop')).toEqual(firstTry);
		expect(arrived('/error-workflow')).toEqual([]);

		// A new trigger event with identical items is a new execution: new ids.
		await trigger('modes-stop', [{ event: 'a' }, { event: 'b' }]);
		await finished(IDS.stop, since, 3);
		const ids = arrived('/stop').map((item) => item.id);
		expect(new Set(ids).size).toBe(4);
	});

	it("Retry On Fail: Dispatch 1.1 sends only the failed item again; n8n's HTTP Request node sends every item again", async () => {
		const seen = new Map<string, number>();
		// b fails the first time each node sends it.
		answer = (request) => {
			const key = `${request.url} ${(JSON.parse(request.body) as { event: string }).event}`;
			seen.set(key, (seen.get(key) ?? 0) + 1);
			return key.endsWith(' b') && seen.get(key) === 1 ? 503 : 200;
		};
		const since = await executionCount(IDS.retryOnFail);
		await trigger('modes-retry', [{ event: 'a' }, { event: 'b' }, { event: 'c' }]);
		const [execution] = await finished(IDS.retryOnFail, since, 1);
		expect(execution.status).toBe('success');
		const ours = arrived('/ours');
		expect(ours.map((item) => item.event).sort()).toEqual(['a', 'b', 'b', 'c']);
		expect(new Set(ours.filter((item) => item.event === 'b').map((item) => item.id)).size).toBe(1);
		expect(
			arrived('/http')
				.map((item) => item.event)
				.sort(),
		).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
	});

	it("Test Run Webhooks: Continue (regular output) emits {message, error} in place; Continue (using error output) reaches n8n's error output", async () => {
		answer = () => 200;
		const hookId = randomUUID();
		fake.hooks.set(hookId, { hookId, projectId: 'proj_web', url: 'https://example.com/hook', hookEvents: ['RUN_FINISH'], headers: null, label: 'modes' });
		const missing = randomUUID();
		const since = await executionCount(IDS.onError);
		await trigger('modes-on-error', [{ id: hookId }, { id: 'nope' }, { id: missing }]);
		await finished(IDS.onError, since, 1);
		await until('the reports', () => arrived('/regular').length === 3 && arrived('/found').length === 1 && arrived('/errors').length === 2);
		const regular = arrived('/regular');
		expect(regular[0]).toMatchObject({ hookId });
		expect(regular.slice(1)).toEqual([
			{ message: expect.stringMatching(/is not a UUID/), error: expect.objectContaining({ description: 'Fix the "hookId" parameter.' }) },
			{ message: expect.any(String), error: expect.objectContaining({ description: expect.stringContaining(`Webhook "${missing}" was not found`) }) },
		]);
		expect(arrived('/found')).toEqual([expect.objectContaining({ hookId })]);
		expect(arrived('/errors')).toEqual([
			{ id: 'nope', message: expect.stringMatching(/is not a UUID/), error: expect.objectContaining({ description: 'Fix the "hookId" parameter.' }) },
			{ id: missing, message: expect.any(String), error: expect.objectContaining({ description: expect.stringContaining('was not found') }) },
		]);
	});
});
