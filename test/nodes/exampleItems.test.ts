import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { TestRunWebhooks } from '../../nodes/TestRunWebhooks/TestRunWebhooks.node';
import { WebhookDispatch } from '../../nodes/WebhookDispatch/WebhookDispatch.node';
import { startFakeCurrents } from '../../tools/fakeCurrents';
import { startReceiver } from '../../tools/httpServer';
import { itemsInto, node, NodeTypeRegistry, outputOf, runWorkflow } from '../support/engine';
import { senderHeaders } from '../support/signing';
import { TriggerHarness } from '../support/webhook';
import { fixtureText } from '../support/fixtures';

/** The example items in examples/items (shown in the README) have the shape the nodes really output. */
const nodeTypes = new NodeTypeRegistry({
	testRunTrigger: new TestRunTrigger(),
	testRunWebhooks: new TestRunWebhooks(),
	webhookDispatch: new WebhookDispatch(),
});
const example = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'items', name), 'utf8')) as IDataObject;

/** Every path to a leaf with the leaf's type; arrays by their first element. */
function shapeOf(value: unknown, path = '$'): string[] {
	if (Array.isArray(value)) return [`${path}: array`, ...(value.length > 0 ? shapeOf(value[0], `${path}[]`) : [])];
	if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => shapeOf(inner, `${path}.${key}`));
	return [`${path}: ${value === null ? 'null' : typeof value}`];
}

describe('example items', () => {
	it('Test Run Trigger: a Maestro Cloud upload with failed flows', async () => {
		const trigger = node('testRunTrigger', { source: 'maestro' } as never, {
			name: 'Test Run Trigger',
			webhookId: 'example-items',
			credentials: { testRunWebhookSecret: { id: '2', name: 'Secret' } },
		});
		const harness = new TriggerHarness(nodeTypes, trigger, { testRunWebhookSecret: { secret: 'maestro-project-token-example', previousSecret: '' } });
		const body = fixtureText('maestro-upload.json');
		await harness.deliver(senderHeaders('maestro', body, 'maestro-project-token-example', Date.now()), body);
		const item = harness.lastItem()!;
		expect(shapeOf(example('test-run-trigger.json'))).toEqual(shapeOf(item));
	});

	it('Test Run Webhooks: a webhook from Get', async () => {
		const fake = await startFakeCurrents();
		try {
			const created = node(
				'testRunWebhooks',
				{
					resource: 'webhook',
					operation: 'create',
					projectId: { __rl: true, mode: 'id', value: 'proj_web' },
					url: 'https://n8n.example.com/webhook/5f0c7a52-6a0e-4a57-9a3e-1d7c2f7b0001/test-run',
					hookEvents: ['RUN_FINISH', 'RUN_TIMEOUT'],
					additionalFields: { label: 'n8n: failed runs to chat', headers: { header: [{ name: 'x-webhook-secret', value: 'kept-secret' }] } },
				} as never,
				{ name: 'Webhooks', credentials: { testRunPlatformApi: { id: '1', name: 'Currents' } } },
			);
			const run = await runWorkflow({
				...itemsInto(created, [{}]),
				nodeTypes,
				startNode: 'Items',
				credentials: { testRunPlatformApi: { baseUrl: fake.baseUrl, apiKey: fake.apiKey } },
			});
			const [item] = outputOf(run, 'Webhooks');
			expect(shapeOf(example('test-run-webhooks.json'))).toEqual(shapeOf(item));
		} finally {
			await fake.close();
		}
	});

	it('Webhook Dispatch: a delivery that left by Success', async () => {
		const receiver = await startReceiver(() => ({ status: 201, body: { ok: true, ts: '1732975445.000200' } }));
		try {
			const dispatch = node(
				'webhookDispatch',
				{
					method: 'POST',
					path: '/chat',
					bodyContentType: 'json',
					body: '{"text": "${ run.name }: ${ run.totals.failed } failed", "id": "${ WebhookRequest.TransactionalId }"}',
					headers: { parameter: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }] },
				} as never,
				{ name: 'Dispatch', typeVersion: 1.1, credentials: { webhookIntegration: { id: 'example', name: 'Chat' } } },
			);
			const trigger = example('test-run-trigger.json');
			const run = await runWorkflow({
				...itemsInto(dispatch, [trigger]),
				nodeTypes,
				startNode: 'Items',
				credentials: {
					webhookIntegration: {
						rootUrl: receiver.url,
						headers: '{"X-Team": "qa"}',
						secretHeaders: '{"Authorization": "Bearer chat-token"}',
						rateLimitPerSecond: 0,
						signingSecret: '',
						timeoutSeconds: 30,
						blockPrivateNetworks: false,
					},
				},
			});
			const [item] = outputOf(run, 'Dispatch');
			expect(shapeOf(example('webhook-dispatch.json'))).toEqual(shapeOf(item));
		} finally {
			await receiver.close();
		}
	});
});
