// n8n 2.x's instance SSRF policy, on for this file (n8n reads it when the policy is first used):
// loopback is refused by default, except the host names allowed by name.
process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';
process.env.N8N_SSRF_ALLOWED_HOSTNAMES = 'localhost';

import { lookup as dnsLookup } from 'node:dns';
import { WebhookDispatch } from '../../nodes/WebhookDispatch/WebhookDispatch.node';
import { TestRunWebhooks } from '../../nodes/TestRunWebhooks/TestRunWebhooks.node';
import { instanceEgress } from '../../nodes/shared/instanceEgress';
import { itemsInto, node, NodeTypeRegistry, outputOf, runWorkflow } from '../support/engine';
import { startReceiver, type LoopbackServer } from '../../tools/httpServer';

const nodeTypes = new NodeTypeRegistry({ webhookDispatch: new WebhookDispatch(), testRunWebhooks: new TestRunWebhooks() });
let receiver: LoopbackServer;
afterEach(async () => receiver?.close());

async function dispatchTo(rootUrl: string) {
	const target = node(
		'webhookDispatch',
		{ method: 'POST', bodyContentType: 'json', body: '{}' },
		{ name: 'Dispatch', credentials: { webhookIntegration: { id: 'ssrf', name: 'Receiver' } } },
	);
	const run = await runWorkflow({
		...itemsInto(target, [{}]),
		nodeTypes,
		startNode: 'Items',
		credentials: {
			webhookIntegration: { rootUrl, headers: '', secretHeaders: '', rateLimitPerSecond: 0, signingSecret: '', timeoutSeconds: 5, blockPrivateNetworks: false },
		},
	});
	return { success: outputOf(run, 'Dispatch', 0), failure: outputOf(run, 'Dispatch', 1) };
}

describe("the n8n instance's SSRF policy (n8n-core's getSecureEgressFilter)", () => {
	it("Webhook Dispatch: 127.0.0.1 is refused before connecting, the node's own guard being off", async () => {
		receiver = await startReceiver();
		const { success, failure } = await dispatchTo(receiver.url);
		expect(success).toEqual([]);
		expect(failure[0].error).toEqual({
			kind: 'blocked',
			message: expect.stringMatching(/^The n8n instance's SSRF protection refused it: The request was blocked because it resolves to a restricted IP address/),
		});
		expect(failure[0].attempts).toHaveLength(1);
		expect(receiver.requests).toHaveLength(0);
	});

	it('Webhook Dispatch: a host name the instance allows goes through', async () => {
		receiver = await startReceiver();
		const { success } = await dispatchTo(receiver.url.replace('127.0.0.1', 'localhost'));
		expect(success).toHaveLength(1);
		expect(receiver.requests).toHaveLength(1);
	});

	it('the Currents API client is held to it too', async () => {
		receiver = await startReceiver(() => ({ status: 200, body: { status: 'OK', data: [] } }));
		const target = node(
			'testRunWebhooks',
			{ resource: 'webhook', operation: 'getAll', projectId: { __rl: true, mode: 'id', value: 'p1' }, returnAll: true },
			{
				name: 'Webhooks',
				credentials: { testRunPlatformApi: { id: 'api', name: 'API' } },
			},
		);
		const run = await runWorkflow({
			...itemsInto(target, [{}]),
			nodeTypes,
			startNode: 'Items',
			credentials: { testRunPlatformApi: { baseUrl: receiver.url, apiKey: 'key-0123456789abcdef' } },
		});
		const error = run.data.resultData.error as { message: string; description?: string } | undefined;
		expect(error?.description).toMatch(/SSRF protection/);
		expect(receiver.requests).toHaveLength(0);
	});
});

describe('instanceEgress', () => {
	it('is absent on n8n versions without the helper (1.x)', () => {
		expect(instanceEgress({})).toBeUndefined();
	});

	it('is absent when the instance leaves its policy off (a filter resolving with plain DNS)', () => {
		expect(instanceEgress({ getSecureEgressFilter: () => ({ createSecureLookup: () => dnsLookup }) })).toBeUndefined();
	});

	it('is one policy object per filter, so connection pools are reused', () => {
		const filter = { createSecureLookup: () => (() => undefined) as never };
		const helpers = { getSecureEgressFilter: () => filter };
		expect(instanceEgress(helpers)).toBeDefined();
		expect(instanceEgress(helpers)).toBe(instanceEgress(helpers));
	});
});
