import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeType } from 'n8n-workflow';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { node, NodeTypeRegistry } from '../support/engine';
import { TriggerHarness } from '../support/webhook';
import { installN8n } from '../../tools/n8nServer';
import { N8N_2 } from '../../tools/n8nVersions';

/**
 * Side by side: n8n's built-in Currents Trigger (from the n8n-nodes-base that real n8n 2.x
 * ships) and ours, both run by n8n-core's engine on the same requests, with the same secret.
 * The built-in one calls api.currents.dev directly, so it cannot register against the local
 * fake; both are compared where the difference lies, on the requests they accept.
 */
const SECRET = 'shared-secret-for-both';
const body = readFileSync(join(__dirname, '..', 'fixtures', 'currents-run-finish.json'), 'utf8');
let nodeTypes: NodeTypeRegistry;
let counter = 0;

beforeAll(() => {
	const { n8nDir } = installN8n(process.env.E2E_COMPARE_N8N_VERSION ?? N8N_2);
	// Loaded from the real n8n install at run time: it is not a dependency of this package.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { CurrentsTrigger } = require(join(n8nDir, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'Currents', 'CurrentsTrigger.node.js')) as {
		CurrentsTrigger: new () => INodeType;
	};
	nodeTypes = new NodeTypeRegistry({ testRunTrigger: new TestRunTrigger() }, { 'n8n-nodes-base.currentsTrigger': new CurrentsTrigger() });
}, 30 * 60_000);

function builtIn(secretInStaticData = true) {
	counter++;
	const trigger = node('n8n-nodes-base.currentsTrigger', { projectId: { __rl: true, mode: 'id', value: 'proj_web' }, events: ['RUN_FINISH'] } as never, {
		name: 'Currents Trigger',
		webhookId: `builtin-${counter}`,
		credentials: { currentsApi: { id: '9', name: 'Currents' } },
	});
	const harness = new TriggerHarness(nodeTypes, trigger, { currentsApi: { apiKey: 'unused' } });
	harness.staticData = secretInStaticData ? { 'node:Currents Trigger': { hookId: 'h', webhookSecret: SECRET } } : {};
	return harness;
}

function ours() {
	counter++;
	const trigger = node('testRunTrigger', { source: 'currents', registration: 'manual', events: ['RUN_FINISH'] } as never, {
		name: 'Test Run Trigger',
		webhookId: `ours-${counter}`,
		credentials: { testRunWebhookSecret: { id: '2', name: 'Secret' } },
	});
	return new TriggerHarness(nodeTypes, trigger, { testRunWebhookSecret: { secret: SECRET, previousSecret: '' } });
}

const headers = (extra: Record<string, string | undefined> = {}) =>
	Object.fromEntries(
		Object.entries({ 'content-type': 'application/json', 'x-webhook-secret': SECRET, 'x-timestamp': String(Date.now()), ...extra }).filter(
			([, v]) => v !== undefined,
		),
	) as Record<string, string>;

type Row = [name: string, send: () => { headers: Record<string, string>; body: string }, ours: number, builtIn: number, builtInSecretLost: boolean];

const ROWS: Row[] = [
	['a genuine delivery', () => ({ headers: headers(), body }), 1, 1, false],
	['no x-timestamp header', () => ({ headers: headers({ 'x-timestamp': undefined }), body }), 0, 1, false],
	['a timestamp an hour old', () => ({ headers: headers({ 'x-timestamp': String(Date.now() - 3_600_000) }), body }), 0, 0, false],
	['a timestamp an hour ahead', () => ({ headers: headers({ 'x-timestamp': String(Date.now() + 3_600_000) }), body }), 0, 0, false],
	['a wrong secret', () => ({ headers: headers({ 'x-webhook-secret': 'guess' }), body }), 0, 0, false],
	['no secret header, with the secret lost from static data', () => ({ headers: headers({ 'x-webhook-secret': undefined }), body }), 0, 1, true],
	['a payload that breaks the Currents schema', () => ({ headers: headers(), body: JSON.stringify({ event: 'RUN_FINISH', runUrl: 3 }) }), 0, 1, false],
	['an event not selected', () => ({ headers: headers(), body: body.replace('RUN_FINISH', 'RUN_START') }), 0, 0, false],
];

describe('side by side with n8n-nodes-base Currents Trigger', () => {
	it.each(ROWS)('%s: executions started (ours, built-in)', async (_case, send, expectedOurs, expectedBuiltIn, secretLost) => {
		const a = ours();
		const b = builtIn(!secretLost);
		const request = send();
		await a.deliver(request.headers, request.body);
		await b.deliver(request.headers, request.body);
		expect([a.executions.length, b.executions.length]).toEqual([expectedOurs, expectedBuiltIn]);
	});

	it('the same delivery twice: ours runs once, the built-in twice', async () => {
		const a = ours();
		const b = builtIn();
		const sent = headers();
		for (let i = 0; i < 2; i++) {
			await a.deliver(sent, body);
			await b.deliver(sent, body);
		}
		expect([a.executions.length, b.executions.length]).toEqual([1, 2]);
	});

	it('answers: ours JSON with a reason, the built-in plain text', async () => {
		const a = ours();
		const b = builtIn();
		const wrong = headers({ 'x-webhook-secret': 'guess' });
		expect(await a.deliver(wrong, body)).toEqual({ status: 401, body: { error: 'Unauthorized: wrong value in header x-webhook-secret' } });
		expect((await b.deliver(wrong, body)).status).toBe(401);
	});

	it('output: ours one normalized item, the built-in the raw payload', async () => {
		const a = ours();
		const b = builtIn();
		await a.deliver(headers(), body);
		await b.deliver(headers(), body);
		expect(a.lastItem()).toMatchObject({ event: 'RUN_FINISH', source: 'currents', run: { status: 'failed', totals: { failed: 3 } } });
		expect(b.lastItem()).toEqual(JSON.parse(body));
	});
});
