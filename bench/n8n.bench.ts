/**
 * The rows measured inside one real n8n process: Test Run Trigger vs n8n's Webhook node and
 * n8n's Currents Trigger (genuine deliveries, forged, replays, latency, CPU and memory per
 * execution), and Webhook Dispatch vs n8n's HTTP Request node (2000 items; one fault).
 * Rounds are interleaved so that load from elsewhere on the machine hits every contender alike.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startReceiver } from '../tools/httpServer';
import { installN8n, N8nServer } from '../tools/n8nServer';
import { until } from '../tools/until';
import { closedLoop, cpuSeconds, median, percentile, ratioRow, type BenchResult, type LoadResult, type Row } from './support/measure';

const ROOT = resolve(__dirname, '..');
const PKG = 'n8n-nodes-test-run-webhooks';
const SECRET = 'bench-shared-secret-0123456789abcdef';
const CURRENTS_SECRET = 'bench-currents-trigger-secret-0123456789';
const FIXTURE = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'currents-run-finish.json'), 'utf8')) as Record<string, unknown>;

const ID = {
	webhook: { workflow: 'benchWebhook0001', webhook: 'b0000000-0000-4000-8000-000000000001' },
	currents: { workflow: 'benchCurrents001', webhook: 'b0000000-0000-4000-8000-000000000002' },
	ours: { workflow: 'benchOurs0000001', webhook: 'b0000000-0000-4000-8000-000000000003' },
	dispatch: { workflow: 'benchDispatch001', webhook: 'b0000000-0000-4000-8000-000000000004' },
	http: { workflow: 'benchHttpReq0001', webhook: 'b0000000-0000-4000-8000-000000000005' },
};

const link = (to: string) => [{ node: to, type: 'main', index: 0 }];
const workflow = (id: string, name: string, nodes: object[], connections: object = {}, staticData?: object) => ({
	id,
	name,
	active: false,
	nodes,
	connections,
	settings: { executionOrder: 'v1' },
	pinData: {},
	...(staticData ? { staticData } : {}),
});
const webhookNode = (id: { webhook: string }, path: string, parameters: object = {}) => ({
	id: `${id.webhook}-node`,
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: id.webhook,
	parameters: { httpMethod: 'POST', path, options: {}, ...parameters },
});

function workflows(withCurrents: boolean) {
	const splitOut = { id: 'split', name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0], parameters: { fieldToSplitOut: 'body.items', options: {} } };
	const lastNode = { responseMode: 'lastNode', options: { responseData: 'noData' } };
	return [
		workflow(ID.webhook.workflow, 'Bench: Webhook node', [webhookNode(ID.webhook, 'bench-webhook')]),
		...(withCurrents ? [workflow(
			ID.currents.workflow,
			"Bench: n8n's Currents Trigger",
			[
				{
					id: `${ID.currents.webhook}-node`,
					name: 'Currents Trigger',
					type: 'n8n-nodes-base.currentsTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId: ID.currents.webhook,
					parameters: { projectId: { __rl: true, mode: 'id', value: 'proj_bench' }, events: ['RUN_FINISH'] },
					credentials: { currentsApi: { id: 'benchCredCurrApi', name: 'Currents API (bench)' } },
				},
			],
			{},
			{ 'node:Currents Trigger': { webhookSecret: CURRENTS_SECRET, hookId: 'bench-0' } },
		)] : []),
		workflow(ID.ours.workflow, 'Bench: Test Run Trigger', [
			{
				id: `${ID.ours.webhook}-node`,
				name: 'Test Run Trigger',
				type: `${PKG}.testRunTrigger`,
				typeVersion: 1.1,
				position: [0, 0],
				webhookId: ID.ours.webhook,
				parameters: { source: 'currents', registration: 'manual' },
				credentials: { testRunWebhookSecret: { id: 'benchCredSecret01', name: 'Bench secret' } },
			},
		]),
		workflow(
			ID.dispatch.workflow,
			'Bench: Webhook Dispatch',
			[
				webhookNode(ID.dispatch, 'bench-dispatch', lastNode),
				splitOut,
				{
					id: 'dispatch',
					name: 'Webhook Dispatch',
					type: `${PKG}.webhookDispatch`,
					typeVersion: 1.1,
					position: [400, 0],
					parameters: {
						method: 'POST',
						path: '/ours',
						bodyContentType: 'json',
						body: '{"run": "${ run }", "i": ${ i }}',
						headers: { parameter: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }] },
						options: { maxRetries: 3, retryWindowSeconds: 60 },
					},
					credentials: { webhookIntegration: { id: 'benchCredReceiver', name: 'Receiver (bench)' } },
				},
			],
			{ Webhook: { main: [link('Split Out')] }, 'Split Out': { main: [link('Webhook Dispatch')] } },
		),
		workflow(
			ID.http.workflow,
			'Bench: HTTP Request node',
			[
				webhookNode(ID.http, 'bench-http', lastNode),
				splitOut,
				{
					id: 'http',
					name: 'HTTP Request',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [400, 0],
					retryOnFail: true,
					maxTries: 3,
					waitBetweenTries: 0,
					parameters: {
						method: 'POST',
						url: '={{ $json.receiver }}/peer',
						sendBody: true,
						specifyBody: 'json',
						jsonBody: '={{ JSON.stringify({ run: $json.run, i: $json.i }) }}',
						options: {},
					},
				},
			],
			{ Webhook: { main: [link('Split Out')] }, 'Split Out': { main: [link('HTTP Request')] } },
		),
	];
}

const genuineBody = (tag: string, i: number) => JSON.stringify({ ...FIXTURE, buildId: `${tag}-${i}`, runUrl: `https://app.currents.dev/run/${tag}-${i}` });

interface Phase {
	target: string;
	/** `memory`: genuine deliveries, a fixed number of them (BENCH_MEMORY_DELIVERIES). */
	kind: 'genuine' | 'forged' | 'replay' | 'memory';
	load: LoadResult;
	executed: number;
	/** Sending plus waiting until every accepted delivery has finished executing. */
	seconds: number;
	cpuSeconds: number;
}

export interface N8nBenchOptions {
	version: string;
	seconds: number;
	rounds: number;
	connections: number;
	dispatchItems: number;
	/** Genuine deliveries sent to each of ours and n8n's Webhook node for the memory rows. */
	memoryDeliveries: number;
	/** Write a V8 CPU profile of the n8n process into this folder. */
	cpuProfileDir?: string;
}

export async function runN8nBench(options: N8nBenchOptions): Promise<BenchResult> {
	const { version, seconds, rounds, connections } = options;
	const install = installN8n(version);
	// n8n 1.x has no Currents Trigger: its rows are left out there.
	const withCurrents = existsSync(join(install.n8nDir, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'Currents', 'CurrentsTrigger.node.js'));
	const preload = join(__dirname, 'support', 'currents-offline.cjs');
	if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });
	const receiver = await startReceiver((request) => faultAnswer(request));
	const n8n = new N8nServer(install, process.env.BENCH_TARBALL!, {
		NODE_OPTIONS: [`--require=${preload}`, ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [])].join(' '),
	});
	const group = `n8n ${version}`;
	try {
		n8n.importAndActivate(
			[
				{ id: 'benchCredSecret01', name: 'Bench secret', type: 'testRunWebhookSecret', data: { secret: SECRET, previousSecret: '' } },
				{ id: 'benchCredCurrApi', name: 'Currents API (bench)', type: 'currentsApi', data: { apiKey: 'bench-offline-key' } },
				{
					id: 'benchCredReceiver',
					name: 'Receiver (bench)',
					type: 'webhookIntegration',
					data: { rootUrl: receiver.url, headers: '{}', secretHeaders: '{}', rateLimitPerSecond: 0, signingSecret: '', timeoutSeconds: 10, blockPrivateNetworks: false },
				},
			],
			workflows(withCurrents),
		);
		await n8n.start();
		const url = {
			webhook: `${n8n.baseUrl}/webhook/bench-webhook`,
			currents: n8n.webhookUrl(ID.currents.webhook, 'webhook'),
			ours: n8n.webhookUrl(ID.ours.webhook),
			dispatch: `${n8n.baseUrl}/webhook/bench-dispatch`,
			http: `${n8n.baseUrl}/webhook/bench-http`,
		};
		for (const [name, u] of Object.entries(url)) if (withCurrents || name !== 'currents') await n8n.waitForWebhook(u);
		await n8n.login();
		const pid = n8n.pid!;
		// The probes of waitForWebhook started executions too: let them finish first.
		await new Promise((done) => setTimeout(done, 2000));

		const executions = async (workflowId: string) =>
			(await n8n.rest<{ count: number }>('GET', `/executions?limit=1&filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`)).count;

		const headersFor = (target: string, secret: string): Record<string, string> =>
			target === 'webhook' ? {} : { 'x-webhook-secret': secret, 'x-timestamp': String(Date.now()) };
		const workflowOf: Record<string, string> = { webhook: ID.webhook.workflow, currents: ID.currents.workflow, ours: ID.ours.workflow };
		const goodSecret: Record<string, string> = { webhook: '', currents: CURRENTS_SECRET, ours: SECRET };

		const phase = async (target: 'webhook' | 'currents' | 'ours', kind: Phase['kind'], round: number, deliveries?: number): Promise<Phase> => {
			const before = await executions(workflowOf[target]);
			const cpu0 = cpuSeconds(pid);
			const t0 = performance.now();
			const tag = `${target}-${kind}-${round}-${randomUUID().slice(0, 8)}`;
			const replayBody = genuineBody(tag, 0);
			const load = await closedLoop(
				url[target],
				connections,
				// A fixed number of deliveries gets a generous time limit instead of a length.
				deliveries ? 10 * 60 : seconds,
				(i) => ({
					headers: headersFor(target, kind === 'forged' ? 'forged-secret-000000000000000000' : goodSecret[target]),
					body: kind === 'replay' ? replayBody : genuineBody(tag, i),
				}),
				pid,
				deliveries,
			);
			// Accepted = executed: wait until n8n's database holds every execution started.
			const expected = kind === 'genuine' || kind === 'memory' ? (load.statuses[200] ?? 0) : kind === 'replay' ? 1 : 0;
			let executed = 0;
			await until(
				`${expected} executions of ${target}`,
				async () => {
					executed = (await executions(workflowOf[target])) - before;
					return executed >= expected;
				},
				60_000,
				200,
			).catch(() => undefined);
			return { target, kind, load, executed, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSeconds(pid) - cpu0 };
		};

		const phases: Phase[] = [];
		// BENCH_TARGETS=ours (while profiling): only these triggers.
		const order = (process.env.BENCH_TARGETS?.split(',') ?? ['webhook', 'currents', 'ours']).filter((t) => withCurrents || t !== 'currents') as Array<'webhook' | 'currents' | 'ours'>;
		// BENCH_N8N_QUICK=1 (while developing): genuine deliveries only, no Webhook Dispatch rows.
		const quick = process.env.BENCH_N8N_QUICK === '1';
		for (let round = 0; round < rounds; round++) {
			// Rotate the order every round: none always runs first or last.
			for (let k = 0; k < order.length; k++) phases.push(await phase(order[(k + round) % order.length], 'genuine', round));
			if (quick) continue;
			phases.push(await phase('ours', 'forged', round));
			if (withCurrents) phases.push(await phase('currents', 'forged', round));
			phases.push(await phase('ours', 'replay', round));
		}
		// Memory: the same number of deliveries to each, so growth is compared like for like.
		if (!quick) for (const target of ['webhook', 'ours'] as const) phases.push(await phase(target, 'memory', 0, options.memoryDeliveries));

		const dispatch = quick ? { rows: [], raw: {} } : await dispatchPhases(url, receiver, options.dispatchItems, rounds);
		const rows = [...triggerRows(group, phases), ...dispatch.rows.map((row) => ({ ...row, group: `Webhook Dispatch in ${group}` }))];
		return {
			rows,
			raw: {
				version,
				node: install.nodeBin,
				phases: phases.map((p) => ({ ...p, load: { ...p.load, latenciesMs: undefined, p50: percentile([...p.load.latenciesMs].sort((a, b) => a - b), 50), p99: percentile([...p.load.latenciesMs].sort((a, b) => a - b), 99) } })),
				dispatch: dispatch.raw,
			},
		};
	} catch (error) {
		throw new Error(`${(error as Error).message}\n${n8n.logTail()}`);
	} finally {
		await n8n.stop();
		await receiver.close();
	}
}

function triggerRows(group: string, phases: Phase[]): Row[] {
	const of = (target: string, kind: Phase['kind']) => phases.filter((p) => p.target === target && p.kind === kind);
	const executedRate = (ps: Phase[]) => median(ps.map((p) => p.executed / p.seconds));
	const answeredRate = (ps: Phase[], status: number) => median(ps.map((p) => (p.load.statuses[status] ?? 0) / p.load.seconds));
	const latency = (ps: Phase[], p: number) => percentile(ps.flatMap((x) => x.load.latenciesMs).sort((a, b) => a - b), p);
	const cpuPerExecution = (ps: Phase[]) => median(ps.map((p) => (p.cpuSeconds * 1000) / Math.max(1, p.executed)));
	// Over one fixed-count phase each: peak RSS above the RSS the phase started at, per 1000 sent.
	const rssGrowthPer1000 = (ps: Phase[]) => median(ps.map((p) => Math.max(0, p.load.peakRssMb - p.load.rssAtStartMb) / (p.load.sent / 1000)));
	const peakRss = (ps: Phase[]) => Math.max(...ps.map((p) => p.load.peakRssMb));
	const [oursMemory, webhookMemory] = [of('ours', 'memory'), of('webhook', 'memory')];
	const memoryCount = oursMemory[0]?.load.sent ?? 0;
	const [ours, webhook, currents] = [of('ours', 'genuine'), of('webhook', 'genuine'), of('currents', 'genuine')];
	const g = `Trigger in ${group}`;
	const oursRate = executedRate(ours);
	return [
		ratioRow({ group: g, metric: 'genuine deliveries executed/s', ours: oursRate, peer: executedRate(webhook), peerName: "n8n's Webhook node", unit: '/s', goal: '≥ 0.95×', min: 0.95 }),
		ratioRow({ group: g, metric: 'genuine deliveries executed/s', ours: oursRate, peer: executedRate(currents), peerName: "n8n's Currents Trigger", unit: '/s', goal: '≥ 1.8×', min: 1.8 }),
		ratioRow({ group: g, metric: 'forged rejected (401)/s', ours: answeredRate(of('ours', 'forged'), 401), peer: oursRate, peerName: 'our genuine executed/s', unit: '/s', goal: '≥ 5×', min: 5 }),
		ratioRow({ group: g, metric: 'forged rejected (401)/s', ours: answeredRate(of('ours', 'forged'), 401), peer: answeredRate(of('currents', 'forged'), 401), peerName: "n8n's Currents Trigger", unit: '/s' }),
		ratioRow({ group: g, metric: 'replays answered (200 duplicate)/s', ours: answeredRate(of('ours', 'replay'), 200), peer: oursRate, peerName: 'our genuine executed/s', unit: '/s' }),
		ratioRow({ group: g, metric: 'p50 latency, genuine', ours: latency(ours, 50), peer: latency(webhook, 50), peerName: "n8n's Webhook node", unit: 'ms', lowerIsBetter: true }),
		ratioRow({ group: g, metric: 'p99 latency, genuine', ours: latency(ours, 99), peer: latency(webhook, 99), peerName: "n8n's Webhook node", unit: 'ms', lowerIsBetter: true }),
		ratioRow({ group: g, metric: 'n8n CPU per execution', ours: cpuPerExecution(ours), peer: cpuPerExecution(webhook), peerName: "n8n's Webhook node", unit: 'ms', lowerIsBetter: true }),
		ratioRow({ group: g, metric: 'n8n CPU per execution', ours: cpuPerExecution(ours), peer: cpuPerExecution(currents), peerName: "n8n's Currents Trigger", unit: 'ms', lowerIsBetter: true }),
		...(oursMemory.length && webhookMemory.length
			? [
					ratioRow({ group: `Memory in ${group}`, metric: `n8n peak RSS growth per 1000 deliveries (${memoryCount} sent to each)`, ours: rssGrowthPer1000(oursMemory), peer: rssGrowthPer1000(webhookMemory), peerName: "n8n's Webhook node", unit: 'MB', lowerIsBetter: true }),
					ratioRow({ group: `Memory in ${group}`, metric: 'n8n peak RSS in those phases', ours: peakRss(oursMemory), peer: peakRss(webhookMemory), peerName: "n8n's Webhook node", unit: 'MB', lowerIsBetter: true }),
				]
			: []),
	];
}

// ---- Webhook Dispatch vs HTTP Request -------------------------------------------------------

/** Item 5 of a fault run is answered 503 twice, then 200; everything else 200. */
const faultCounts = new Map<string, number>();
function faultAnswer(request: { body: string }): { status: number; body?: unknown } {
	let parsed: { run?: string; i?: number } = {};
	try {
		parsed = JSON.parse(request.body) as typeof parsed;
	} catch {
		// not ours
	}
	if (parsed.run?.startsWith('fault-') && parsed.i === 5) {
		const seen = (faultCounts.get(parsed.run) ?? 0) + 1;
		faultCounts.set(parsed.run, seen);
		if (seen <= 2) return { status: 503, body: { error: 'try again' } };
	}
	return { status: 200, body: { ok: true } };
}

async function dispatchPhases(
	url: Record<string, string>,
	receiver: Awaited<ReturnType<typeof startReceiver>>,
	items: number,
	rounds: number,
): Promise<{ rows: Row[]; raw: unknown }> {
	const run = async (target: 'dispatch' | 'http', runId: string, count: number) => {
		const body = JSON.stringify({ items: Array.from({ length: count }, (_, i) => ({ run: runId, i, receiver: receiver.url })) });
		const t0 = performance.now();
		const response = await fetch(url[target], { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		const text = await response.text();
		const ms = performance.now() - t0;
		const requests = receiver.requests.filter((r) => r.body.includes(`"${runId}"`));
		const perItem = new Map<number, number>();
		for (const r of requests) {
			const { i } = JSON.parse(r.body) as { i: number };
			perItem.set(i, (perItem.get(i) ?? 0) + 1);
		}
		// A duplicate: the receiver got an item again after it had answered it 200 once.
		const refused = (i: number, n: number) => (runId.startsWith('fault-') && i === 5 ? Math.min(2, n) : 0);
		const duplicates = [...perItem.entries()].reduce((sum, [i, n]) => sum + Math.max(0, n - refused(i, n) - 1), 0);
		return { status: response.status, text: text.slice(0, 200), ms, itemsPerSecond: (count / ms) * 1000, requests: requests.length, duplicates, distinct: perItem.size };
	};
	const samples: Record<string, Array<Awaited<ReturnType<typeof run>>>> = { dispatch: [], http: [] };
	for (let round = 0; round < rounds; round++) {
		for (const target of round % 2 ? (['http', 'dispatch'] as const) : (['dispatch', 'http'] as const)) {
			samples[target].push(await run(target, `${target}-${round}-${randomUUID().slice(0, 8)}`, items));
		}
	}
	const fault = { dispatch: await run('dispatch', `fault-d-${randomUUID().slice(0, 8)}`, 10), http: await run('http', `fault-h-${randomUUID().slice(0, 8)}`, 10) };
	receiver.requests.length = 0;
	const rate = (target: string) => median(samples[target].map((s) => s.itemsPerSecond));
	return {
		rows: [
			ratioRow({ group: '', metric: `${items} items delivered/s`, ours: rate('dispatch'), peer: rate('http'), peerName: "n8n's HTTP Request node", unit: '/s', goal: '≥ 5×', min: 5 }),
			ratioRow({ group: '', metric: 'one fault (10 items, item 5 gets 503 twice): requests', ours: fault.dispatch.requests, peer: fault.http.requests, peerName: "HTTP Request, Retry On Fail (3 tries)", unit: '', lowerIsBetter: true }),
			{
				group: '',
				metric: 'one fault: duplicate deliveries',
				ours: fault.dispatch.duplicates,
				peer: fault.http.duplicates,
				peerName: 'HTTP Request, Retry On Fail (3 tries)',
				unit: '',
				ratio: Number.NaN,
			},
		],
		raw: { samples, fault },
	};
}
