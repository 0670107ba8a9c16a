/**
 * The trigger contenders inside one real n8n, shared by `n8n.bench.ts` and `soak.bench.ts`:
 * n8n's Webhook node, n8n's Currents Trigger, the Test Run Trigger and a bare community trigger
 * (`bench/bare-trigger`, the ceiling: no credential, no verification), each in a workflow of its
 * own, and the requests that reach them. The same bare trigger with a credential attached (one it
 * never reads) shows what n8n charges any execution whose trigger carries a credential, and a
 * second, identical bare trigger (its twin) how far two contenders that do the same work differ
 * in a run: the measurement's own resolution.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { N8nServer, type ImportedCredential, type N8nInstall } from '../../tools/n8nServer';
import { workflowJson } from '../../tools/workflowJson';

const ROOT = resolve(__dirname, '..', '..');
const PKG = 'n8n-nodes-test-run-webhooks';
const BARE_PACKAGE_DIR = join(ROOT, 'bench', 'bare-trigger');
const SECRET = 'bench-shared-secret-0123456789abcdef';
const CURRENTS_SECRET = 'bench-currents-trigger-secret-0123456789';
const FORGED_SECRET = 'forged-secret-000000000000000000';
/** The Test Run Trigger's secret credential in every bench, as n8n decrypts it. */
export const BENCH_SECRET_CREDENTIAL = { secret: SECRET, previousSecret: '' };
const FIXTURE = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'currents-run-finish.json'), 'utf8')) as Record<string, unknown>;

export type Target = 'webhook' | 'currents' | 'ours' | 'bare' | 'bareCredential' | 'bareTwin';
export const TARGETS: readonly Target[] = ['webhook', 'currents', 'ours', 'bare', 'bareCredential', 'bareTwin'];
/** The targets that run the bench's bare trigger package (`bench/bare-trigger`). */
const BARE_TRIGGER_TARGETS: readonly Target[] = ['bare', 'bareCredential', 'bareTwin'];
export const TARGET_NAMES: Record<Target, string> = {
	webhook: "n8n's Webhook node",
	currents: "n8n's Currents Trigger",
	ours: 'Test Run Trigger',
	bare: 'bare community trigger',
	bareCredential: 'bare trigger with a credential attached',
	bareTwin: 'an identical bare trigger (A/A)',
};

/**
 * n8n's expression engine: its default, and `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true` (2.40.7 on,
 * experimental: a scope that evaluates nothing never takes an isolate).
 */
export type EngineMode = 'default' | 'lazy';
export const ENGINE_MODES: Record<EngineMode, { label: string; settings: NodeJS.ProcessEnv }> = {
	default: { label: 'default engine', settings: {} },
	lazy: { label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', settings: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
};

/** `BENCH_ENGINE_MODES=default,lazy` (both by default). */
export function engineModes(value: string | undefined): EngineMode[] {
	const modes = (value ?? 'default,lazy').split(',').map((m) => m.trim());
	for (const mode of modes) if (!(mode in ENGINE_MODES)) throw new Error(`BENCH_ENGINE_MODES: unknown mode "${mode}" (default, lazy)`);
	return modes as EngineMode[];
}

export const ID = {
	webhook: { workflow: 'benchWebhook0001', webhook: 'b0000000-0000-4000-8000-000000000001' },
	currents: { workflow: 'benchCurrents001', webhook: 'b0000000-0000-4000-8000-000000000002' },
	ours: { workflow: 'benchOurs0000001', webhook: 'b0000000-0000-4000-8000-000000000003' },
	bare: { workflow: 'benchBare0000001', webhook: 'b0000000-0000-4000-8000-000000000006' },
	bareCredential: { workflow: 'benchBareCred001', webhook: 'b0000000-0000-4000-8000-000000000007' },
	bareTwin: { workflow: 'benchBareTwin001', webhook: 'b0000000-0000-4000-8000-000000000008' },
};

export const webhookNode = (id: { webhook: string }, path: string, parameters: object = {}) => ({
	id: `${id.webhook}-node`,
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: id.webhook,
	parameters: { httpMethod: 'POST', path, options: {}, ...parameters },
});

const triggerNode = (id: { webhook: string }, name: string, type: string, typeVersion: number, parameters: object, credentials?: object) => ({
	id: `${id.webhook}-node`,
	name,
	type,
	typeVersion,
	position: [0, 0],
	webhookId: id.webhook,
	parameters,
	...(credentials ? { credentials } : {}),
});

/** One workflow per target (n8n 1.x has no Currents Trigger: left out there). */
function triggerWorkflows(targets: readonly Target[]): object[] {
	const all: Record<Target, object> = {
		webhook: workflowJson(ID.webhook.workflow, 'Bench: Webhook node', [webhookNode(ID.webhook, 'bench-webhook')]),
		currents: workflowJson(
			ID.currents.workflow,
			"Bench: n8n's Currents Trigger",
			[
				triggerNode(
					ID.currents,
					'Currents Trigger',
					'n8n-nodes-base.currentsTrigger',
					1,
					{ projectId: { __rl: true, mode: 'id', value: 'proj_bench' }, events: ['RUN_FINISH'] },
					{
						currentsApi: { id: 'benchCredCurrApi', name: 'Currents API (bench)' },
					},
				),
			],
			{},
			{ 'node:Currents Trigger': { webhookSecret: CURRENTS_SECRET, hookId: 'bench-0' } },
		),
		ours: workflowJson(ID.ours.workflow, 'Bench: Test Run Trigger', [
			triggerNode(
				ID.ours,
				'Test Run Trigger',
				`${PKG}.testRunTrigger`,
				1.1,
				{ source: 'currents', registration: 'manual' },
				{
					testRunWebhookSecret: { id: 'benchCredSecret01', name: 'Bench secret' },
				},
			),
		]),
		bare: workflowJson(ID.bare.workflow, 'Bench: bare community trigger', [
			triggerNode(ID.bare, 'Bench Bare Trigger', 'n8n-nodes-bench-bare-trigger.benchBareTrigger', 1.1, {}),
		]),
		bareTwin: workflowJson(ID.bareTwin.workflow, 'Bench: bare community trigger (twin)', [
			triggerNode(ID.bareTwin, 'Bench Bare Trigger', 'n8n-nodes-bench-bare-trigger.benchBareTrigger', 1.1, {}),
		]),
		bareCredential: workflowJson(ID.bareCredential.workflow, 'Bench: bare trigger with a credential', [
			triggerNode(
				ID.bareCredential,
				'Bench Bare Trigger',
				'n8n-nodes-bench-bare-trigger.benchBareTrigger',
				1.1,
				{},
				{
					httpHeaderAuth: { id: 'benchCredHeader01', name: 'Unused header (bench)' },
				},
			),
		]),
	};
	return targets.map((target) => all[target]);
}

const TRIGGER_CREDENTIALS: ImportedCredential[] = [
	{ id: 'benchCredSecret01', name: 'Bench secret', type: 'testRunWebhookSecret', data: BENCH_SECRET_CREDENTIAL },
	{ id: 'benchCredCurrApi', name: 'Currents API (bench)', type: 'currentsApi', data: { apiKey: 'bench-offline-key' } },
	{ id: 'benchCredHeader01', name: 'Unused header (bench)', type: 'httpHeaderAuth', data: { name: 'x-unused', value: 'unused' } },
];

export type RequestKind = 'genuine' | 'forged' | 'replay';

/** A distinct valid Currents RUN_FINISH per `i` (a replay: always the same one). */
export const genuineBody = (tag: string, i: number) =>
	JSON.stringify({ ...FIXTURE, buildId: `${tag}-${i}`, runUrl: `https://app.currents.dev/run/${tag}-${i}` });

/** The headers of a request to `target`: the Webhook node checks nothing; the bare trigger gets ours (same bytes, ignored). */
export function headersFor(target: Target, kind: RequestKind): Record<string, string> {
	if (target === 'webhook') return {};
	const secret = kind === 'forged' ? FORGED_SECRET : target === 'currents' ? CURRENTS_SECRET : SECRET;
	return { 'x-webhook-secret': secret, 'x-timestamp': String(Date.now()) };
}

/** One started n8n with the contenders' workflows active. */
export interface BenchN8n {
	mode: EngineMode;
	n8n: N8nServer;
	pid: number;
	targets: Target[];
	url: Record<Target, string>;
	/** Executions of a target's workflow in n8n's database so far. */
	executions(target: Target): Promise<number>;
}

export interface StartBenchN8nOptions {
	install: N8nInstall;
	tarball: string;
	mode: EngineMode;
	targets: readonly Target[];
	/** More settings of the n8n process (NODE_OPTIONS, N8N_METRICS…). */
	settings?: NodeJS.ProcessEnv;
	/** More credentials and workflows (the Webhook Dispatch rows), activated with the triggers'. */
	extra?: { credentials: ImportedCredential[]; workflows: object[] };
}

/**
 * Installs our packed package (as a user would) and the bare trigger (copied into the same
 * community-packages folder, `<user folder>/.n8n/nodes/node_modules`, which n8n scans for
 * `n8n-nodes-*`), imports and activates the workflows, starts n8n and waits for every webhook.
 */
export async function startBenchN8n(options: StartBenchN8nOptions): Promise<BenchN8n> {
	const { install, mode } = options;
	// n8n 1.x has no Currents Trigger.
	const withCurrents = existsSync(join(install.n8nDir, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'Currents', 'CurrentsTrigger.node.js'));
	const targets = options.targets.filter((t) => withCurrents || t !== 'currents');
	const preload = join(__dirname, 'currents-offline.cjs');
	const settings = options.settings ?? {};
	const n8n = new N8nServer(install, options.tarball, {
		...ENGINE_MODES[mode].settings,
		...settings,
		NODE_OPTIONS: [`--require=${preload}`, settings.NODE_OPTIONS ?? ''].join(' ').trim(),
	});
	if (targets.some((target) => BARE_TRIGGER_TARGETS.includes(target)))
		cpSync(BARE_PACKAGE_DIR, join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-bench-bare-trigger'), { recursive: true });
	n8n.importAndActivate([...TRIGGER_CREDENTIALS, ...(options.extra?.credentials ?? [])], [...triggerWorkflows(targets), ...(options.extra?.workflows ?? [])]);
	await n8n.start();
	const url: Record<Target, string> = {
		webhook: `${n8n.baseUrl}/webhook/bench-webhook`,
		currents: n8n.webhookUrl(ID.currents.webhook, 'webhook'),
		ours: n8n.webhookUrl(ID.ours.webhook),
		bare: n8n.webhookUrl(ID.bare.webhook),
		bareCredential: n8n.webhookUrl(ID.bareCredential.webhook),
		bareTwin: n8n.webhookUrl(ID.bareTwin.webhook),
	};
	for (const target of targets) await n8n.waitForWebhook(url[target]);
	await n8n.login();
	// The probes of waitForWebhook started executions too: let them finish first.
	await new Promise((done) => setTimeout(done, 2000));
	const executions = async (target: Target) =>
		(await n8n.rest<{ count: number }>('GET', `/executions?limit=1&filter=${encodeURIComponent(JSON.stringify({ workflowId: ID[target].workflow }))}`)).count;
	return { mode, n8n, pid: n8n.pid!, targets, url, executions };
}
