import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackServer, type LoopbackServer } from '../../tools/httpServer';
import { installN8n, N8nServer, packPackage } from '../../tools/n8nServer';
import { n8nVersions } from '../../tools/n8nVersions';
import { until } from '../../tools/until';
import { credentials, IDS, SECRETS, workflows } from './support/workflows';
import { stopAfterSuite } from './support/suite';
import { post } from './support/http';

const VERSIONS = n8nVersions(process.env.E2E_N8N_VERSIONS);
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

describe.each(VERSIONS)('real n8n %s: test URL and production URL', (version) => {
	let n8n: N8nServer;
	let receiver: LoopbackServer;

	beforeAll(async () => {
		const install = installN8n(version);
		receiver = await startLoopbackServer((_request, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
		n8n = new N8nServer(install, packPackage());
		const maestro = workflows().filter((workflow) => workflow.id === IDS.maestro.workflow);
		n8n.importAndActivate(credentials({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'unused' }, receiver.url), maestro);
		await n8n.start();
		await n8n.waitForWebhook(n8n.webhookUrl(IDS.maestro.webhook));
	}, 30 * 60_000);

	stopAfterSuite(version, () => ({ n8n, servers: [receiver] }));

	it('a delivery to the test URL while listening, then the same delivery to the production URL: both execute', async () => {
		// "Listen for test event" in the editor: a manual run that waits for the trigger's webhook.
		const trigger = { triggerToStartFrom: { name: 'Test Run Trigger' } };
		const body = n8n.install.major >= 2 ? trigger : { ...trigger, workflowData: await n8n.rest('GET', `/workflows/${IDS.maestro.workflow}`) };
		expect(await n8n.rest('POST', `/workflows/${IDS.maestro.workflow}/run`, body)).toMatchObject({ waitingForWebhook: true });

		const upload = fixture('maestro-upload.json');
		const headers = { authorization: `Bearer ${SECRETS.maestro}` };
		const testUrl = `${n8n.baseUrl}/webhook-test/${IDS.maestro.webhook}/test-run`;
		expect(await post(testUrl, headers, upload)).toEqual({ status: 200, body: { received: true } });
		expect(await post(n8n.webhookUrl(IDS.maestro.webhook), headers, upload)).toEqual({ status: 200, body: { received: true } });
		// The same delivery to production again is the duplicate; the first one was not.
		expect(await post(n8n.webhookUrl(IDS.maestro.webhook), headers, upload)).toEqual({ status: 200, body: { received: true, duplicate: true } });

		const forwarded = await until('both executions to forward the run', () => (receiver.requests.length >= 2 ? receiver.requests : undefined));
		expect(forwarded.map((request) => JSON.parse(request.body).source)).toEqual(['maestro', 'maestro']);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(receiver.requests).toHaveLength(2);
	});
});
