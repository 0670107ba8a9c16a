/**
 * What one delivery costs inside n8n's own code, measured in this process with n8n-core: the
 * part of the trigger rows (`n8n.bench.ts`) that is ours, without n8n's server, database and
 * execution bookkeeping, whose run-to-run swings (±20 % per phase) hide a few percent there.
 * Ours against the bare trigger (`bare-trigger/`), alternating rounds, CPU time per delivery.
 */
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ExecutionLifecycleHooks, WebhookContext } from 'n8n-core';
import { Workflow, type INode, type INodeType, type INodeTypes, type IWebhookData, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { TestCredentialsHelper } from '../test/support/credentialsHelper';
import { median, ratioRow, type BenchResult, type Row } from './support/measure';
import { BENCH_SECRET_CREDENTIAL, genuineBody, headersFor } from './support/n8nContenders';

const ROOT = resolve(__dirname, '..');
const ROUNDS = 9;
const SLICE_MS = 600;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const N8N_CORE_VERSION = (require('n8n-core/package.json') as { version: string }).version;

// Node's resolver finds the codex file `TestRunTrigger.node.json` before the `.ts` for the
// bare specifier under tsx, so the source file is named in full.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TestRunTrigger } = require(
	join(ROOT, 'nodes', 'TestRunTrigger', 'TestRunTrigger.node.ts'),
) as typeof import('../nodes/TestRunTrigger/TestRunTrigger.node');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BareTrigger } = require('./bare-trigger/BareTrigger.node.js') as { BareTrigger: new () => INodeType };

type Contender = 'ours' | 'bare';

const types: Record<Contender, INodeType> = { ours: new TestRunTrigger(), bare: new BareTrigger() };
const nodeTypes: INodeTypes = {
	getByName: (name) => types[name as Contender],
	getByNameAndVersion: (name) => types[name as Contender],
	getKnownTypes: () => ({}),
};

/** As the bench's n8n workflows configure them (`support/n8nContenders.ts`). */
const nodes: Record<Contender, INode> = {
	ours: {
		id: 'bench-ours',
		name: 'Trigger',
		type: 'ours',
		typeVersion: 1.1,
		position: [0, 0],
		webhookId: 'bench-ours',
		parameters: { source: 'currents', registration: 'manual' },
		credentials: { testRunWebhookSecret: { id: 'bench-secret', name: 'Bench secret' } },
	},
	bare: { id: 'bench-bare', name: 'Trigger', type: 'bare', typeVersion: 1.1, position: [0, 0], webhookId: 'bench-bare', parameters: {} },
};

let sequence = 0;

/**
 * One genuine delivery as n8n hands it over: a `Workflow` built for the request (n8n builds
 * one per request, resolving every node's parameters against its description), a
 * WebhookContext, then the node's `webhook()`. With `buildOnly`, only the first two.
 */
async function deliverOnce(contender: Contender, buildOnly: boolean): Promise<void> {
	const node = nodes[contender];
	const workflow = new Workflow({ id: `wf-${contender}`, nodes: [node], connections: {}, active: true, nodeTypes, settings: { executionOrder: 'v1' } });
	const i = sequence++;
	const rawBody = Buffer.from(genuineBody('bench', i));
	// The bare trigger gets ours too, as in the n8n rows (same bytes, ignored).
	const headers = { 'content-type': 'application/json', ...headersFor('ours', 'genuine') };
	const answered: { status?: number } = {};
	const response = {
		status: (status: number) => ((answered.status = status), response),
		json: () => response,
		setHeader: () => response,
	};
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper({ testRunWebhookSecret: BENCH_SECRET_CREDENTIAL }),
		hooks: new ExecutionLifecycleHooks('webhook', `bench-${i}`, { id: workflow.id } as never),
		httpRequest: { headers, body: JSON.parse(rawBody.toString('utf8')), rawBody, query: {}, params: {} },
		httpResponse: response,
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: `${node.webhookId}/test-run`,
		webhookDescription: types[contender].description.webhooks![0],
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		isTest: false,
	} as IWebhookData;
	const context = new WebhookContext(workflow, workflow.getNode(node.name)!, additionalData, 'webhook', webhookData, [], null);
	if (buildOnly) return;
	const result = await types[contender].webhook!.call(context);
	if (!result.workflowData) throw new Error(`${contender} did not start an execution (answered ${answered.status})`);
}

/** CPU µs per delivery over one slice. */
async function slice(contender: Contender, buildOnly: boolean): Promise<number> {
	const cpu0 = process.cpuUsage();
	const start = performance.now();
	let count = 0;
	while (performance.now() - start < SLICE_MS) {
		await deliverOnce(contender, buildOnly);
		count++;
	}
	const cpu = process.cpuUsage(cpu0);
	return (cpu.user + cpu.system) / count;
}

export async function runTriggerWebhookBench(): Promise<BenchResult> {
	const group = `Test Run Trigger in n8n-core ${N8N_CORE_VERSION}, in this process (Currents, genuine)`;
	const rows: Row[] = [];
	const raw: Record<string, unknown> = {};
	for (const [metric, buildOnly] of [
		['CPU µs per delivery: Workflow, WebhookContext and webhook()', false],
		['CPU µs per delivery: Workflow and WebhookContext only (the description resolved)', true],
	] as const) {
		for (const contender of ['ours', 'bare'] as const) await slice(contender, buildOnly);
		const samples: Record<Contender, number[]> = { ours: [], bare: [] };
		for (let round = 0; round < ROUNDS; round++) {
			for (const contender of round % 2 ? (['bare', 'ours'] as const) : (['ours', 'bare'] as const)) samples[contender].push(await slice(contender, buildOnly));
		}
		const ours = median(samples.ours);
		const bare = median(samples.bare);
		rows.push({
			...ratioRow({ group, metric, ours, peer: bare, peerName: 'bare community trigger', unit: 'µs', lowerIsBetter: true }),
			note: `ours adds ${(ours - bare).toFixed(0)} µs (no goal: the n8n rows carry the goals)`,
		});
		raw[buildOnly ? 'buildOnly' : 'webhook'] = samples;
	}
	return { rows, raw };
}
