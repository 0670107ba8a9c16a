import type { INodeProperties } from 'n8n-workflow';
import { WebhookIntegration } from '../../credentials/WebhookIntegration.credentials';
import { TestRunPlatformApi } from '../../credentials/TestRunPlatformApi.credentials';
import { TestRunWebhookSecret } from '../../credentials/TestRunWebhookSecret.credentials';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { TestRunWebhooks } from '../../nodes/TestRunWebhooks/TestRunWebhooks.node';
import { WebhookDispatch } from '../../nodes/WebhookDispatch/WebhookDispatch.node';
import { readNumericField, NUMERIC_FIELDS } from '../../lib/numericFields';
import { itemsInto, node, NodeTypeRegistry, outputOf, runWorkflow } from '../support/engine';
import { startLoopbackServer, type LoopbackServer } from '../../tools/httpServer';
import { startFakeCurrents } from '../../tools/fakeCurrents';

/** Every property, nested ones (collections, fixed collections) included. */
function allProperties(properties: readonly INodeProperties[], owner: string): Array<{ owner: string; property: INodeProperties }> {
	return properties.flatMap((property) => [
		{ owner, property },
		...((property.options ?? []) as Array<INodeProperties | { values?: INodeProperties[] }>).flatMap((option) =>
			'values' in option && option.values
				? allProperties(option.values, owner)
				: 'type' in option && 'name' in option
					? allProperties([option as INodeProperties], owner)
					: [],
		),
	]);
}

const numberProperties = [
	...allProperties(new WebhookIntegration().properties, 'webhookIntegration'),
	...allProperties(new TestRunPlatformApi().properties, 'testRunPlatformApi'),
	...allProperties(new TestRunWebhookSecret().properties, 'testRunWebhookSecret'),
	...allProperties(new WebhookDispatch().description.properties, 'webhookDispatch'),
	...allProperties(new TestRunWebhooks().description.properties, 'testRunWebhooks'),
	...allProperties(new TestRunTrigger().description.properties, 'testRunTrigger'),
].filter(({ property }) => property.type === 'number');

describe('every numeric field of every credential and node has a range', () => {
	it('the sweep finds the ten numeric fields', () => {
		expect(numberProperties.map(({ owner, property }) => `${owner}.${property.name}`).sort()).toEqual([
			'testRunTrigger.deduplicationWindowSeconds',
			'testRunTrigger.timestampToleranceSeconds',
			'testRunWebhooks.limit',
			'testRunWebhooks.timeoutSeconds',
			'webhookDispatch.concurrency',
			'webhookDispatch.maxRedirects',
			'webhookDispatch.maxRetries',
			'webhookDispatch.retryWindowSeconds',
			'webhookIntegration.rateLimitPerSecond',
			'webhookIntegration.timeoutSeconds',
		]);
	});

	it.each(numberProperties.map(({ owner, property }) => [`${owner}.${property.name}`, property] as const))(
		'%s: a finite minimum and maximum in the editor, the default within them, and the engine takes both ends',
		(_name, property) => {
			const { minValue, maxValue } = property.typeOptions ?? {};
			expect(Number.isFinite(minValue) && Number.isFinite(maxValue)).toBe(true);
			expect(property.default).toBeGreaterThanOrEqual(minValue as number);
			expect(property.default).toBeLessThanOrEqual(maxValue as number);
			const field = Object.values(NUMERIC_FIELDS).find(
				(candidate) => candidate.min === minValue && candidate.max === maxValue && candidate.default === property.default,
			);
			expect(field).toBeDefined();
			expect(readNumericField(field!, maxValue)).toEqual({ value: maxValue });
		},
	);
});

const dispatchTypes = new NodeTypeRegistry({ webhookDispatch: new WebhookDispatch() });
let receiver: LoopbackServer | undefined;
afterEach(async () => {
	await receiver?.close();
	receiver = undefined;
});

/** Answers 200 after a short while: a timeout that fired "at once" (main: after 1 ms) misses it. */
async function slowReceiver() {
	receiver = await startLoopbackServer((_request, res) => {
		setTimeout(() => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		}, 30);
	});
	return receiver;
}

async function dispatch(credential: Record<string, unknown>, options: Record<string, unknown> = {}) {
	const target = node('webhookDispatch', { method: 'POST', bodyContentType: 'json', body: '{}', options } as never, {
		name: 'Dispatch',
		credentials: { webhookIntegration: { id: `integration-${Math.random()}`, name: 'Receiver' } },
	});
	const run = await runWorkflow({
		...itemsInto(target, [{}] as never),
		nodeTypes: dispatchTypes,
		startNode: 'Items',
		credentials: {
			webhookIntegration: { rootUrl: receiver!.url, headers: '', secretHeaders: '', signingSecret: '', blockPrivateNetworks: false, ...credential },
		},
	});
	const hints = (run.data.resultData.runData.Dispatch?.[0]?.hints ?? []).map((hint) => hint.message);
	return { success: outputOf(run, 'Dispatch', 0), failure: outputOf(run, 'Dispatch', 1), error: run.data.resultData.error, hints };
}

describe('Webhook Dispatch: values past a range mean "a lot", never a crash or "now"', () => {
	it('a timeout of 3,000,000 s (past what a timer holds) waits for the answer, capped at a day and said so', async () => {
		await slowReceiver();
		const { success, failure, error, hints } = await dispatch({ timeoutSeconds: 3e6 });
		expect(error).toBeUndefined();
		expect(failure).toEqual([]);
		expect(success).toEqual([expect.objectContaining({ statusCode: 200, body: { ok: true } })]);
		expect(hints).toEqual(['Timeout (timeoutSeconds) 3000000 is above the maximum 86400: 86400 is used']);
	});

	it('a rate limit of 1e15 per second allocates nothing sized by it: the request goes out, and the clamp is said', async () => {
		await slowReceiver();
		const { success, error, hints } = await dispatch({ rateLimitPerSecond: 1e15, timeoutSeconds: 5 });
		expect(error).toBeUndefined();
		expect(success).toHaveLength(1);
		expect(hints).toEqual(['Rate Limit (rateLimitPerSecond) 1000000000000000 is above the maximum 10000: 10000 is used']);
	});

	it('options out of range are clamped with hints; an option that is no number fails the node naming it, before anything is sent', async () => {
		await slowReceiver();
		const clamped = await dispatch({ timeoutSeconds: 5 }, { concurrency: 0, maxRetries: 1e9, retryWindowSeconds: -1 });
		expect(clamped.success).toHaveLength(1);
		expect(clamped.hints.sort()).toEqual([
			'Concurrency (concurrency) 0 is below the minimum 1: 1 is used',
			'Max Retries (maxRetries) 1000000000 is above the maximum 20: 20 is used',
			'Retry Window (retryWindowSeconds) -1 is below the minimum 0: 0 is used',
		]);
		const refused = await dispatch({ timeoutSeconds: 5 }, { concurrency: 'lots' });
		expect(refused.error?.message).toBe('Concurrency (concurrency) must be a number from 1 to 100, got "lots"');
		expect(receiver!.requests).toHaveLength(1);
	});
});

describe('Test Run Webhooks: Send Test with a timeout past what a timer holds', () => {
	it('waits for the answer (main reported a timeout at once), with the timeout capped and said so', async () => {
		const fake = await startFakeCurrents();
		try {
			await slowReceiver();
			const types = new NodeTypeRegistry({ testRunWebhooks: new TestRunWebhooks() });
			const run = async (parameters: Record<string, unknown>) => {
				const target = node('testRunWebhooks', { resource: 'webhook', ...parameters } as never, {
					name: 'Webhooks',
					credentials: { testRunPlatformApi: { id: '1', name: 'Currents' } },
				});
				return await runWorkflow({
					...itemsInto(target, [{}] as never),
					nodeTypes: types,
					startNode: 'Items',
					credentials: { testRunPlatformApi: { baseUrl: fake.baseUrl, apiKey: fake.apiKey } },
				});
			};
			const created = await run({
				operation: 'create',
				projectId: { __rl: true, mode: 'id', value: 'proj_web' },
				url: `${receiver!.url}/hook`,
				hookEvents: ['RUN_FINISH'],
			});
			const hookId = outputOf(created, 'Webhooks')[0].hookId as string;
			const sent = await run({
				operation: 'sendTest',
				hookId: { __rl: true, mode: 'id', value: hookId },
				event: 'RUN_FINISH',
				options: { timeoutSeconds: 3e6 },
			});
			expect(sent.data.resultData.error).toBeUndefined();
			expect(outputOf(sent, 'Webhooks')).toEqual([expect.objectContaining({ success: true, statusCode: 200 })]);
			expect(sent.data.resultData.runData.Webhooks[0].hints?.map((hint) => hint.message)).toEqual([
				'Timeout (timeoutSeconds) 3000000 is above the maximum 3600: 3600 is used',
			]);
		} finally {
			await fake.close();
		}
	});
});
