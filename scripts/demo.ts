/**
 * `npm run demo`: a real n8n 2.x with this package, a local stand-in for the Currents API, a
 * local "team chat" receiver, and the example workflows from examples/. Fires a sample failed
 * run and a Maestro upload, prints what arrived, and keeps running until Ctrl-C.
 * DEMO_EXIT_AFTER_START=1 stops everything right after that instead (the e2e test runs it so);
 * DEMO_PORT (5678) and DEMO_N8N_VERSION (tools/n8nVersions.ts) choose the port and the n8n.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Cleanups } from '../tools/cleanups';
import { startFakeCurrents } from '../tools/fakeCurrents';
import { startLoopbackServer } from '../tools/httpServer';
import { installN8n, N8nServer, OWNER, packPackage } from '../tools/n8nServer';
import { N8N_2 } from '../tools/n8nVersions';
import { until } from '../tools/until';

const ROOT = resolve(__dirname, '..');
const N8N_VERSION = process.env.DEMO_N8N_VERSION ?? N8N_2;
const MAESTRO_TOKEN = 'demo-maestro-token';
const say = (text: string) => console.log(`\n▶ ${text}`);

const cleanups = new Cleanups();

async function main() {
	say(`Installing n8n ${N8N_VERSION} and its Node into ~/.cache (first run only: a few minutes)…`);
	const install = installN8n(N8N_VERSION);

	say('Starting the local Currents API stand-in and the team-chat receiver…');
	const currents = await startFakeCurrents({ projects: [{ projectId: 'proj_web', name: 'Web shop' }] });
	cleanups.add(() => currents.close());
	const chat = await startLoopbackServer((request, res) => {
		let pretty = request.body;
		try {
			pretty = JSON.stringify(JSON.parse(request.body), null, 2);
		} catch {
			// Not JSON: print as it came.
		}
		console.log(`\n📨 receiver got ${request.method} ${request.url} (Idempotency-Key ${request.headers['idempotency-key'] ?? '-'})\n${pretty}`);
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"ok":true}');
	});
	cleanups.add(() => chat.close());

	say('Packing this package and installing it into n8n as a community package…');
	const n8n = new N8nServer(install, packPackage());
	const workflows = readdirSync(join(ROOT, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.map((file) => JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as { id: string; name: string });
	n8n.importAndActivate(
		[
			{ id: 'demoCredCurrents', name: 'Currents (demo: local fake)', type: 'testRunPlatformApi', data: { baseUrl: currents.baseUrl, apiKey: currents.apiKey } },
			{ id: 'demoCredMaestro01', name: 'Maestro webhook token', type: 'testRunWebhookSecret', data: { secret: MAESTRO_TOKEN, previousSecret: '' } },
			{
				id: 'demoCredChat00001',
				name: 'Team chat (demo: local receiver)',
				type: 'webhookIntegration',
				data: {
					rootUrl: chat.url,
					headers: '{}',
					secretHeaders: '{"Authorization": "Bearer demo-chat-token"}',
					rateLimitPerSecond: 5,
					signingSecret: '',
					timeoutSeconds: 10,
					blockPrivateNetworks: false,
				},
			},
		],
		workflows.filter((workflow) => !workflow.id.startsWith('demoListWebhooks')),
	);
	// The manual example is imported but not published: it runs from the editor.
	n8n.importWorkflows(workflows.filter((workflow) => workflow.id.startsWith('demoListWebhooks')));

	say('Starting n8n…');
	n8n.port = Number(process.env.DEMO_PORT ?? 5678);
	cleanups.add(() => n8n.stop());
	await n8n.start();
	await n8n.login();
	const triggerUrl = n8n.webhookUrl('5f0c7a52-6a0e-4a57-9a3e-1d7c2f7b0001');
	const maestroUrl = n8n.webhookUrl('5f0c7a52-6a0e-4a57-9a3e-1d7c2f7b0002');
	await n8n.waitForWebhook(triggerUrl);
	await n8n.waitForWebhook(maestroUrl);
	// n8n registers the remote hook just after it opens the route: give it a moment.
	await until('the trigger to register its Currents webhook', () => currents.hooks.size > 0);
	console.log(
		`   The Currents stand-in now holds ${currents.hooks.size} webhook(s), registered by the trigger: ${[...currents.hooks.values()].map((h) => h.url).join(', ')}`,
	);
	for (const { name, active } of await n8n.rest<Array<{ name: string; active: boolean }>>('GET', '/workflows')) {
		console.log(`   ${active ? 'published' : 'imported '}  ${name}`);
	}

	say('Currents reports a failed run (RUN_FINISH, 3 failures)…');
	const run = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'currents-run-finish.json'), 'utf8'));
	const [answer] = await currents.emit('proj_web', run);
	console.log(`   n8n answered ${answer.statusCode} ${answer.bodyText}`);

	say('Maestro Cloud posts an upload result with a failed and an errored flow…');
	const upload = readFileSync(join(ROOT, 'test', 'fixtures', 'maestro-upload.json'), 'utf8');
	const maestro = await fetch(maestroUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${MAESTRO_TOKEN}` },
		body: upload,
	});
	console.log(`   n8n answered ${maestro.status} ${await maestro.text()}`);
	const forged = await fetch(maestroUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer forged' }, body: upload });
	console.log(`   …and a forged copy got ${forged.status} ${await forged.text()}`);

	await until('the chat message and the ticket to reach the receiver', () => chat.requests.length >= 2);
	say(`The editor is at ${n8n.baseUrl}  (log in as ${OWNER.email} / ${OWNER.password})`);
	console.log(`   Try: Currents stand-in API ${currents.baseUrl} (API key "${currents.apiKey}"), receiver ${chat.url}`);
	console.log('   Press Enter to have Currents report another failed run; Ctrl-C stops everything.');
	let runs = 1;
	process.stdin.on('data', () => {
		runs++;
		void currents
			.emit('proj_web', { ...run, buildId: `demo-build-${runs}`, failures: runs })
			.then(([again]) => console.log(`   n8n answered ${again?.statusCode} ${again?.bodyText}`));
	});

	const stop = cleanups.stopOnSignals(() => say('Stopping n8n, the receiver and the Currents stand-in…'));
	if (process.env.DEMO_EXIT_AFTER_START) await stop();
}

main().catch((error: unknown) => cleanups.failed(error));
