import { startLoopbackServer, type LoopbackServer } from '../../tools/httpServer';
import { until } from '../../tools/until';
import { installN8n, N8nServer, packPackage } from '../../tools/n8nServer';
import { N8N_2 } from '../../tools/n8nVersions';

/** n8n 2.x only: 1.x has no instance SSRF policy (there the node's own guard is all there is). */
const VERSION = N8N_2;
const PKG = 'n8n-nodes-test-run-webhooks';
const WEBHOOK_ID = 'a1b2c3d4-0000-4000-8000-0000000055f0';

function integration(id: string, rootUrl: string) {
	return {
		id,
		name: id,
		type: 'webhookIntegration',
		data: { rootUrl, headers: '', secretHeaders: '', rateLimitPerSecond: 0, signingSecret: '', timeoutSeconds: 10, blockPrivateNetworks: false },
	};
}

function dispatch(name: string, credentialId: string, path: string, body: string, x: number) {
	return {
		id: `ssrf-${name.replace(/\W/g, '')}`,
		name,
		type: `${PKG}.webhookDispatch`,
		typeVersion: 1,
		position: [x, 300],
		parameters: { method: 'POST', path, bodyContentType: 'json', body },
		credentials: { webhookIntegration: { id: credentialId, name: credentialId } },
	};
}

describe(`real n8n ${VERSION} with N8N_SSRF_PROTECTION_ENABLED`, () => {
	let n8n: N8nServer;
	let receiver: LoopbackServer;

	beforeAll(async () => {
		const install = installN8n(VERSION);
		receiver = await startLoopbackServer((_request, res) => void res.end('{}'));
		const port = new URL(receiver.url).port;
		// Loopback is refused by the instance's default ranges; `localhost` is allowed by name.
		n8n = new N8nServer(install, packPackage(), { N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_ALLOWED_HOSTNAMES: 'localhost' });
		const workflow = {
			id: 'e2eSsrf000000001',
			name: 'E2E: instance SSRF policy',
			active: false,
			nodes: [
				{
					id: 'ssrf-start',
					name: 'Start',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 300],
					webhookId: WEBHOOK_ID,
					parameters: { httpMethod: 'POST', path: 'ssrf', responseMode: 'lastNode', options: {} },
				},
				dispatch('To 127.0.0.1', 'e2eCredLoopback1', '/blocked', '{}', 240),
				dispatch('Report', 'e2eCredLocalhost', '/report', '{"kind": "${ error.kind }", "message": "${ error.message }"}', 480),
			],
			connections: {
				Start: { main: [[{ node: 'To 127.0.0.1', type: 'main', index: 0 }]] },
				'To 127.0.0.1': { main: [[], [{ node: 'Report', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
			pinData: {},
		};
		n8n.importAndActivate(
			[integration('e2eCredLoopback1', `http://127.0.0.1:${port}`), integration('e2eCredLocalhost', `http://localhost:${port}`)],
			[workflow],
		);
		await n8n.start();
		await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/ssrf`);
	}, 30 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await receiver?.close();
	}, 60_000);

	it('Webhook Dispatch refuses 127.0.0.1 (its own guard off) and reaches a host the instance allows', async () => {
		const before = receiver.requests.length;
		const response = await fetch(`${n8n.baseUrl}/webhook/ssrf`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"run": 1}' });
		expect(response.status).toBe(200);
		const report = await until('the report', () => receiver.requests.slice(before).find((r) => r.url === '/report'));
		expect(JSON.parse(report.body)).toEqual({ kind: 'blocked', message: expect.stringMatching(/SSRF protection refused it/) });
		expect(receiver.requests.filter((r) => r.url === '/blocked')).toHaveLength(0);
	});
});
