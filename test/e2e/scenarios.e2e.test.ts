import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHookHeaders, type CurrentsRunEvent } from '../../lib/currents';
import { startFakeCurrents, type FakeCurrents } from '../../tools/fakeCurrents';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest } from '../../tools/httpServer';
import { until } from '../../tools/until';
import { installN8n, N8nServer, packPackage } from '../../tools/n8nServer';
import { n8nVersions } from '../../tools/n8nVersions';
import { credentials, IDS, SECRETS, workflows } from './support/workflows';
import { stopAfterSuite } from './support/suite';
import { post } from './support/http';
import { githubWorkflowRunBody, octokitSignatures } from '../support/github';

const VERSIONS = n8nVersions(process.env.E2E_N8N_VERSIONS);
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
let tarball: string;

beforeAll(() => {
	tarball = packPackage();
});

describe.each(VERSIONS)('real n8n %s', (version) => {
	let n8n: N8nServer;
	let fake: FakeCurrents;
	let receiver: LoopbackServer;
	const deliveries = (path: string) => receiver.requests.filter((r: RecordedRequest) => r.url.startsWith(path));
	const hooksFor = (url: string) => [...fake.hooks.values()].filter((hook) => hook.url === url);

	beforeAll(async () => {
		const install = installN8n(version);
		fake = await startFakeCurrents();
		let notifyCalls = 0;
		receiver = await startLoopbackServer((request, res) => {
			// The first notification meets a 503 with Retry-After: 1; the retry gets through.
			const status = request.url.startsWith('/notify') && notifyCalls++ === 0 ? 503 : 200;
			res.writeHead(status, { 'content-type': 'application/json', ...(status === 503 ? { 'retry-after': '1' } : {}) });
			res.end(JSON.stringify({ ok: status === 200 }));
		});
		n8n = new N8nServer(install, tarball);
		n8n.importAndActivate(credentials(fake, receiver.url), workflows());
		await n8n.start();
		await waitForTriggers();
	}, 30 * 60_000);

	const waitForTriggers = async () => {
		for (const { webhook } of [IDS.currents, IDS.maestro, IDS.autosana, IDS.cypressCloud, IDS.githubActions]) await n8n.waitForWebhook(n8n.webhookUrl(webhook));
	};

	stopAfterSuite(version, () => ({ n8n, servers: [fake, receiver] }));

	it('1 + 5: Currents automatic registration, a failed run notified with its failures and idempotency key, after a 503 retry', async () => {
		const url = n8n.webhookUrl(IDS.currents.webhook);
		// n8n registers the remote hook just after it opens the route.
		const hooks = await until('the remote hook', () => (hooksFor(url).length > 0 ? hooksFor(url) : undefined));
		expect(hooks).toHaveLength(1);
		expect(hooks[0]).toMatchObject({ projectId: 'proj_web', hookEvents: ['RUN_START', 'RUN_FINISH', 'RUN_TIMEOUT', 'RUN_CANCELED'] });

		const event = { ...(JSON.parse(fixture('currents-run-finish.json')) as CurrentsRunEvent) };
		const [answer] = await fake.emit('proj_web', event);
		expect(answer.statusCode).toBe(200);
		expect(JSON.parse(answer.bodyText)).toEqual({ received: true });

		const notify = await until('the notification', () => deliveries('/notify').find((r) => r.body.length > 0 && deliveries('/notify').length >= 2));
		const sent = deliveries('/notify');
		expect(sent).toHaveLength(2);
		expect(new Set(sent.map((r) => r.body)).size).toBe(1);
		expect(new Set(sent.map((r) => r.headers['idempotency-key'])).size).toBe(1);
		const body = JSON.parse(notify.body);
		expect(body).toMatchObject({ text: 'build-2026-11-24-1042: 3 of 120 failed', status: 'failed', failures: [] });
		expect(body.id).toBe(notify.headers['idempotency-key']);
		expect(notify.headers.authorization).toBe(SECRETS.receiverAuth);

		const report = await until('the success report', () => deliveries('/report')[0]);
		expect(JSON.parse(report.body)).toEqual({ success: true, attempts: 2, status: 200 });
		expect(deliveries('/failed')).toHaveLength(0);

		const executions = await until('the execution in the REST API', async () => {
			const list = await n8n.executions(IDS.currents.workflow);
			return list.length > 0 && list[0].status === 'success' ? list : undefined;
		});
		expect(executions).toHaveLength(1);
	});

	it('2: wrong secret, stale timestamp and bad signature are refused with 401 and start nothing', async () => {
		const before = (await n8n.executions(IDS.currents.workflow)).length + (await n8n.executions(IDS.autosana.workflow)).length;
		const url = n8n.webhookUrl(IDS.currents.webhook);
		const [hook] = hooksFor(url);
		const secretHeaders = parseHookHeaders(hook.headers);
		const body = fixture('currents-run-finish.json');
		const wrong = await post(url, { 'x-webhook-secret': 'guessed', 'x-timestamp': String(Date.now()) }, body);
		expect(wrong.status).toBe(401);
		// Automatic registration: the answer also says what to do when the API key was rotated.
		expect((wrong.body as { error: string }).error).toMatch(/^Unauthorized: wrong value in header x-webhook-secret\. .*derived from the Currents API key/);
		const stale = await post(url, { ...secretHeaders, 'x-timestamp': String(Date.now() - 3_600_000) }, body);
		expect(stale.status).toBe(401);
		expect((stale.body as { error: string }).error).toMatch(/s in the past/);
		const autosanaBody = fixture('autosana-batch.json').replace('2025-01-31T12:34:56.789Z', new Date().toISOString());
		const badSignature = await post(n8n.webhookUrl(IDS.autosana.webhook), { 'X-Autosana-Signature-256': `sha256=${'0'.repeat(64)}` }, autosanaBody);
		expect(badSignature).toEqual({ status: 401, body: { error: 'Unauthorized: signature in header X-Autosana-Signature-256 does not match the body' } });
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const after = (await n8n.executions(IDS.currents.workflow)).length + (await n8n.executions(IDS.autosana.workflow)).length;
		expect(after).toBe(before);
	});

	it('3: a Maestro upload (bearer) and an Autosana batch (HMAC) are accepted and normalized', async () => {
		const maestro = await post(n8n.webhookUrl(IDS.maestro.webhook), { authorization: `Bearer ${SECRETS.maestro}` }, fixture('maestro-upload.json'));
		expect(maestro).toEqual({ status: 200, body: { received: true } });
		const autosanaBody = fixture('autosana-batch.json').replace('2025-01-31T12:34:56.789Z', new Date().toISOString());
		const signature = createHmac('sha256', SECRETS.autosana).update(autosanaBody).digest('hex');
		const autosana = await post(n8n.webhookUrl(IDS.autosana.webhook), { 'X-Autosana-Signature-256': `sha256=${signature}` }, autosanaBody);
		expect(autosana).toEqual({ status: 200, body: { received: true } });

		const forwardedMaestro = await until('the normalized Maestro run', () => deliveries('/maestro')[0]);
		expect(JSON.parse(forwardedMaestro.body)).toEqual({
			source: 'maestro',
			event: 'RUN_FINISH',
			status: 'failed',
			failed: 2,
			tests: 4,
			platform: 'android',
			firstFailure: 'Checkout Flow Test',
		});
		const forwardedAutosana = await until('the normalized Autosana batch', () => deliveries('/autosana')[0]);
		expect(JSON.parse(forwardedAutosana.body)).toEqual({
			source: 'autosana',
			event: 'RUN_FINISH',
			status: 'failed',
			failed: 1,
			tests: 3,
			platform: 'android',
			firstFailure: 'Checkout Suite › User can pay with card',
		});
	});

	it('4: a workflow with Test Run Webhooks creates, lists, sends a test to, and deletes a hook', async () => {
		const before = fake.requests.length;
		const answer = await post(`${n8n.baseUrl}/webhook/manage`, {}, JSON.stringify({ url: `${receiver.url}/hook-test` }));
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ deleted: true, hookId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
		const calls = fake.requests.slice(before).map((r) => `${r.method} ${r.url.split('?')[0].replace(/[0-9a-f-]{36}/, ':id')}`);
		expect(calls).toEqual(['POST /v1/webhooks', 'GET /v1/webhooks', 'GET /v1/webhooks/:id', 'DELETE /v1/webhooks/:id']);
		const [test] = deliveries('/hook-test');
		expect(test.headers['x-webhook-secret']).toBe('e2e-hook-secret');
		expect(Number(test.headers['x-timestamp'])).toBeGreaterThan(Date.now() - 60_000);
		expect(JSON.parse(test.body)).toMatchObject({ event: 'RUN_FINISH' });
		expect([...fake.hooks.values()].filter((hook) => hook.projectId === 'proj_mobile')).toHaveLength(0);
	});

	it('credential tests run by n8n: the platform API key against the stand-in, and the integration settings', async () => {
		// As the editor does: the stored credential's id, with the values being edited.
		const test = (id: string, type: string, data: Record<string, unknown>) =>
			n8n.rest<{ status: string; message: string }>('POST', '/credentials/test', { credentials: { id, name: type, type, data } });
		await expect(test('e2eCredPlatform1', 'testRunPlatformApi', { baseUrl: fake.baseUrl, apiKey: fake.apiKey })).resolves.toMatchObject({ status: 'OK' });
		await expect(test('e2eCredPlatform1', 'testRunPlatformApi', { baseUrl: fake.baseUrl, apiKey: 'wrong-key' })).resolves.toMatchObject({ status: 'Error' });
		await expect(test('e2eCredReceiver1', 'webhookIntegration', { rootUrl: 'not a url', headers: '{}', secretHeaders: '' })).resolves.toEqual({
			status: 'Error',
			message: 'Root URL "not a url" is not a valid http(s) URL',
		});
	});

	it('6: deactivating removes the remote hook; after re-activation and a restart there is exactly one', async () => {
		const url = n8n.webhookUrl(IDS.currents.webhook);
		// n8n 2.x (un)publishes through an outbox, after the REST call returns: wait for it.
		await n8n.deactivate(IDS.currents.workflow);
		await until('the remote hook to be deleted', () => hooksFor(url).length === 0);
		await n8n.activate(IDS.currents.workflow);
		await until('the remote hook to be created again', () => hooksFor(url).length === 1);
		await n8n.restart();
		await waitForTriggers();
		await until('activation after restart', () => hooksFor(url).length === 1);
		await n8n.restart();
		await waitForTriggers();
		await until('activation after the second restart', () => hooksFor(url).length === 1);
		// Settle, then check nothing extra was created.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(hooksFor(url)).toHaveLength(1);
		expect(fake.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/webhooks?projectId=proj_web'))).toHaveLength(2);
	}, 300_000);

	it('7: a signed Cypress Cloud run.completed and a signed GitHub workflow_run each start one execution; forged copies get 401 and start nothing', async () => {
		// Cypress Cloud: signed by its documented recipe, written here; GitHub: by @octokit/webhooks-methods.
		const cypressBody = fixture('cypress-run-completed.json');
		const seconds = String(Math.floor(Date.now() / 1000));
		const cypressSign = (secret: string) => `sha256=${createHmac('sha256', secret).update(`${seconds}.${cypressBody}`).digest('hex')}`;
		const cypressHeaders = (secret: string) => ({
			'x-cypress-event': 'run.completed',
			'x-cypress-event-id': `evt_${version}`,
			'x-cypress-timestamp': seconds,
			'x-cypress-signature': cypressSign(secret),
		});
		const githubBody = githubWorkflowRunBody('failure');
		const [genuine, forged] = octokitSignatures([
			{ secret: SECRETS.githubActions, body: githubBody },
			{ secret: 'a-guessed-secret-0001', body: githubBody },
		]);
		const githubHeaders = (signature: string) => ({
			'x-github-event': 'workflow_run',
			'x-github-delivery': `guid-${version}`,
			'x-hub-signature-256': signature,
		});
		const cypressUrl = n8n.webhookUrl(IDS.cypressCloud.webhook);
		const githubUrl = n8n.webhookUrl(IDS.githubActions.webhook);

		expect((await post(cypressUrl, cypressHeaders('a-guessed-secret-0001'), cypressBody)).status).toBe(401);
		expect((await post(githubUrl, githubHeaders(forged), githubBody)).status).toBe(401);
		expect(await post(cypressUrl, cypressHeaders(SECRETS.cypressCloud), cypressBody)).toEqual({ status: 200, body: { received: true } });
		expect(await post(githubUrl, githubHeaders(genuine), githubBody)).toEqual({ status: 200, body: { received: true } });

		const cypress = await until('the normalized Cypress Cloud run', () => deliveries('/cypressCloud')[0]);
		expect(JSON.parse(cypress.body)).toEqual({
			source: 'cypressCloud',
			event: 'RUN_TIMEOUT',
			status: 'timedOut',
			id: '318',
			app: 'storefront-e2e',
			deliveryId: `cypressCloud:evt_${version}`,
		});
		const github = await until('the normalized GitHub run', () => deliveries('/githubActions')[0]);
		const payload = JSON.parse(githubBody);
		expect(JSON.parse(github.body)).toEqual({
			source: 'githubActions',
			event: 'RUN_FINISH',
			status: 'failed',
			id: String(payload.workflow_run.id),
			app: payload.repository.full_name,
			deliveryId: `githubActions:guid-${version}`,
		});
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await n8n.executions(IDS.cypressCloud.workflow)).toHaveLength(1);
		expect(await n8n.executions(IDS.githubActions.workflow)).toHaveLength(1);
		expect(deliveries('/cypressCloud')).toHaveLength(1);
		expect(deliveries('/githubActions')).toHaveLength(1);
	});
});
