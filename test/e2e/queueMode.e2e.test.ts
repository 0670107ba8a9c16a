import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TimingReceiver, type Arrival } from '../../tools/timingReceiver';
import { N8nQueue } from '../../tools/n8nQueue';
import { installN8n, packPackage, type N8nServer } from '../../tools/n8nServer';
import { N8N_2 } from '../../tools/n8nVersions';
import { Postgres } from '../../tools/postgres';
import { RedisServer, redisServerBinary } from '../../tools/redisServer';
import { until } from '../../tools/until';
import { newStandardSecret, senderHeaders } from '../support/signing';
import { post } from './support/http';

/**
 * Real n8n 2.x in queue mode, started here: n8n's own Redis and a throwaway Postgres, one main
 * process, one webhook processor and two workers (one job at a time each, so two jobs at once
 * land on both), the package installed for all. The nodes' `redis` credential points at a
 * second redis-server: scenario (c) stops that one mid-run (stopping n8n's own would stop the
 * queue itself, not the nodes).
 */
const VERSION = process.env.E2E_N8N_QUEUE_VERSION ?? N8N_2;
const PKG = 'n8n-nodes-test-run-webhooks';
const NODES_REDIS_PASSWORD = 'nodes-redis-password-e2e';
const SECRET = newStandardSecret();
const BODY = readFileSync(join(__dirname, '..', 'fixtures', 'currents-run-finish.json'), 'utf8');
const HOOK = { dedup: 'b1b2c3d4-0000-4000-8000-00000000000a', outage: 'b1b2c3d4-0000-4000-8000-00000000000c' };
const WF = { dedup: 'queueDedupWf0001', rateX: 'queueRateXWf0001', rateY: 'queueRateYWf0001', outage: 'queueOutageWf001' };
const CRED = {
	secret: { testRunWebhookSecret: { id: 'queueCredSecret1', name: 'Sender secret' } },
	redis: { redis: { id: 'queueCredRedis01', name: 'Nodes Redis' } },
	fast: { webhookIntegration: { id: 'queueCredFast001', name: 'Receiver, no limit' } },
	limit20: { webhookIntegration: { id: 'queueCredLimit20', name: 'Receiver, 20/s' } },
	limit2: { webhookIntegration: { id: 'queueCredLimit02', name: 'Receiver, 2/s' } },
};

let position = 0;
const at = (): [number, number] => [(position += 240), 300];

function integration(id: string, name: string, rootUrl: string, rateLimitPerSecond: number) {
	return {
		id,
		name,
		type: 'webhookIntegration',
		data: { rootUrl, headers: '', secretHeaders: '', rateLimitPerSecond, signingSecret: '', timeoutSeconds: 10, blockPrivateNetworks: false },
	};
}

function credentials(receiverUrl: string, nodesRedisPort: number) {
	return [
		{ id: CRED.secret.testRunWebhookSecret.id, name: 'Sender secret', type: 'testRunWebhookSecret', data: { secret: SECRET, previousSecret: '' } },
		{
			id: CRED.redis.redis.id,
			name: 'Nodes Redis',
			type: 'redis',
			data: { host: '127.0.0.1', port: nodesRedisPort, password: NODES_REDIS_PASSWORD, user: '', database: 0, ssl: false },
		},
		integration(CRED.fast.webhookIntegration.id, 'Receiver, no limit', receiverUrl, 0),
		integration(CRED.limit20.webhookIntegration.id, 'Receiver, 20/s', receiverUrl, 20),
		integration(CRED.limit2.webhookIntegration.id, 'Receiver, 2/s', receiverUrl, 2),
	];
}

const trigger = (webhookId: string) => ({
	id: `${webhookId}-node`,
	name: 'Test Run Trigger',
	type: `${PKG}.testRunTrigger`,
	typeVersion: 1,
	position: at(),
	webhookId,
	parameters: { source: 'standardWebhooks' },
	credentials: { ...CRED.secret, ...CRED.redis },
});

const dispatch = (name: string, path: string, body: string, credential: object, parameters: Record<string, unknown> = {}) => ({
	id: `dispatch-${name.replace(/\W/g, '')}`,
	name,
	type: `${PKG}.webhookDispatch`,
	typeVersion: 1.1,
	position: at(),
	parameters: { method: 'POST', path, bodyContentType: 'json', body, onFailure: 'routeToFailureOutput', ...parameters },
	credentials: credential,
});

const link = (from: string, to: string, output = 0) => ({
	[from]: { main: Array.from({ length: output + 1 }, (_, index) => (index === output ? [{ node: to, type: 'main', index: 0 }] : [])) },
});

function rateWorkflow(id: string, path: string) {
	return {
		id,
		name: `Queue rate ${path}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-hook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: at(),
				webhookId: `${id}-hook`,
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				id: `${id}-split`,
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: at(),
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			},
			// One request at a time per node: the limiter spaces the moments requests are let go; a
			// worker whose event loop stalls after that holds back every request it already let go
			// and sends them together. With 5 at a time (the default) and a 2.5-5% margin, on this
			// 2-core machine at load 9-14, the busiest second had 21-24 (README, "Queue mode").
			dispatch('Dispatch', '/b/${ wf }/${ n }', '{"wf": "${ wf }", "n": ${ n }}', { ...CRED.limit20, ...CRED.redis }, { options: { concurrency: 1 } }),
		],
		connections: { ...link('Webhook', 'Split Out'), ...link('Split Out', 'Dispatch') },
	};
}

function workflows() {
	return [
		{
			id: WF.dedup,
			name: 'Queue dedup',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [trigger(HOOK.dedup), dispatch('Dispatch', '/a/${ deliveryId }', '{"id": "${ deliveryId }"}', CRED.fast)],
			connections: link('Test Run Trigger', 'Dispatch'),
		},
		rateWorkflow(WF.rateX, 'queue-rate-x'),
		rateWorkflow(WF.rateY, 'queue-rate-y'),
		{
			id: WF.outage,
			name: 'Queue outage',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				trigger(HOOK.outage),
				dispatch(
					'Dispatch',
					'/c/ok/${ deliveryId }',
					'{"id": "${ deliveryId }"}',
					{ ...CRED.limit2, ...CRED.redis },
					{ transactionalId: '={{ $json.deliveryId }}', options: { retryWindowSeconds: 1 } },
				),
				dispatch('Report failure', '/c/failure/${ transactionalId }', '{"kind": "${ error.kind }", "message": "${ error.message }"}', CRED.fast),
			],
			connections: { ...link('Test Run Trigger', 'Dispatch'), ...link('Dispatch', 'Report failure', 1) },
		},
	];
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** The largest number of arrivals in any one-second window (a window starting at each arrival). */
function maxPerSecond(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	let max = 0;
	for (let start = 0, end = 0; start < sorted.length; start++) {
		while (end < sorted.length && sorted[end] < sorted[start] + 1000) end++;
		max = Math.max(max, end - start);
	}
	return max;
}

const canRun = Boolean(redisServerBinary()) && Postgres.available();
if (!canRun)
	console.warn('SKIPPED queue mode: needs redis-server (bash scripts/ensure-redis.sh) and PostgreSQL binaries (PG_BIN, default /usr/lib/postgresql/15/bin)');
if (!canRun && process.env.REQUIRE_REDIS_SERVER) throw new Error('queue mode e2e cannot run: redis-server or PostgreSQL missing');

(canRun ? describe : describe.skip)(`real n8n ${VERSION} in queue mode: main + webhook processor + 2 workers, Postgres, Redis`, () => {
	let queue: N8nQueue;
	let nodesRedis: RedisServer;
	let receiver: TimingReceiver;
	const results: string[] = [];

	beforeAll(async () => {
		const started = Date.now();
		receiver = new TimingReceiver();
		await receiver.start();
		nodesRedis = new RedisServer(redisServerBinary()!, NODES_REDIS_PASSWORD);
		await nodesRedis.start();
		queue = new N8nQueue(installN8n(VERSION), packPackage(), { workers: 2, workerConcurrency: 1 });
		await queue.start(credentials(receiver.url, nodesRedis.port), workflows());
		for (const server of [queue.main, queue.webhook]) {
			await server.waitForWebhook(server.webhookUrl(HOOK.dedup));
			await server.waitForWebhook(server.webhookUrl(HOOK.outage));
		}
		results.push(
			`n8n ${VERSION} queue mode up in ${((Date.now() - started) / 1000).toFixed(1)} s: main pid ${queue.main.pid}, webhook processor pid ${queue.webhook.pid}, workers ${queue.workers.map((w) => w.pid).join(', ')}`,
		);
	}, 10 * 60_000);

	afterAll(async () => {
		console.log(`queue mode results:\n${results.join('\n')}`);
		await queue?.stop();
		await nodesRedis?.dispose();
		await receiver?.close();
	}, 120_000);

	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts) console.log(`queue-mode n8n log tails:\n${queue?.logTail()}`);
	});

	const executions = (workflowId: string) => queue.main.executions(workflowId);
	let lastArrivals: Arrival[] = [];
	const refresh = async () => (lastArrivals = await receiver.arrivals());
	const arrivals = (prefix: string): Arrival[] => lastArrivals.filter((request) => request.url.startsWith(prefix));

	it('(a) the same signed delivery sent 20 times at once to main and the webhook processor runs exactly once', async () => {
		const id = `msg_queue_dedup_${Date.now()}`;
		const headers = senderHeaders('standardWebhooks', BODY, SECRET, Date.now(), id);
		const targets: N8nServer[] = [queue.main, queue.webhook];
		let answered503 = 0;
		// A 503 (Redis too slow to answer on a loaded host) asks the sender to retry: it does, to the same process.
		const sendUntilAnswered = async (target: N8nServer) => {
			for (let attempt = 0; ; attempt++) {
				const answer = await post(target.webhookUrl(HOOK.dedup), headers, BODY);
				if (answer.status !== 503 || attempt === 10) return answer;
				answered503++;
				await sleep(300);
			}
		};
		const answers = await Promise.all(Array.from({ length: 20 }, async (_, index) => await sendUntilAnswered(targets[index % 2])));
		expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
		expect(answers.filter((answer) => JSON.stringify(answer.body) === JSON.stringify({ received: true }))).toHaveLength(1);
		expect(answers.filter((answer) => JSON.stringify(answer.body) === JSON.stringify({ received: true, duplicate: true }))).toHaveLength(19);

		await until('the one execution to reach the receiver', async () => (await refresh()) && arrivals('/a/').length >= 1, 60_000);
		await sleep(2000);
		const runs = await until(
			'the execution to be listed as finished',
			async () => {
				const list = await executions(WF.dedup);
				return list.length > 0 && list.every((run) => run.status === 'success') && list;
			},
			30_000,
		);
		expect(runs).toHaveLength(1);
		await refresh();
		expect(arrivals('/a/')).toHaveLength(1);
		results.push(
			`(a) 20 concurrent copies (10 to main, 10 to the webhook processor): ${answers.filter((a) => !(a.body as { duplicate?: boolean }).duplicate).length} accepted, 19 duplicate (${answered503} answers 503 retried); executions in n8n: ${runs.length}; deliveries at the receiver: ${arrivals('/a/').length}`,
		);
	});

	it('(b) 200 items over two workflows on the two workers at once, one 20/s limit: at most 20 arrive in any one-second window', async () => {
		const items = (wf: string) => JSON.stringify({ items: Array.from({ length: 100 }, (_, n) => ({ wf, n })) });
		const started = Date.now();
		const answers = await Promise.all([
			post(`${queue.main.baseUrl}/webhook/queue-rate-x`, {}, items('x')),
			post(`${queue.webhook.baseUrl}/webhook/queue-rate-y`, {}, items('y')),
		]);
		expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
		await until('200 rate-limited requests at the receiver', async () => (await refresh()) && arrivals('/b/').length >= 200, 90_000, 500);
		await sleep(1000);
		await refresh();
		const received = arrivals('/b/');
		expect(received).toHaveLength(200);
		expect(new Set(received.map((request) => request.url)).size).toBe(200);
		const times = received.map((request) => request.at);
		const busiest = maxPerSecond(times);
		if (busiest > 20)
			console.log(
				`arrivals (ms after the first): ${[...times]
					.sort((a, b) => a - b)
					.map((t) => t - Math.min(...times))
					.join(' ')}`,
			);
		expect(busiest).toBeLessThanOrEqual(20);

		const runs = await until(
			'both executions to be listed as finished',
			async () => {
				const list = [...(await executions(WF.rateX)), ...(await executions(WF.rateY))];
				return list.length === 2 && list.every((run) => run.status === 'success') && list;
			},
			30_000,
		);
		const workers = runs.map((run) => queue.workerOf(run.id));
		expect([...workers].sort()).toEqual([0, 1]);
		const spanS = (Math.max(...times) - Math.min(...times)) / 1000;
		results.push(
			`(b) 200 items (100 per workflow, executions ${runs.map((r) => r.id).join(' and ')} on workers ${workers.map((w) => w + 1).join(' and ')}): busiest one-second window ${busiest} arrivals; first to last ${spanS.toFixed(2)} s (${(199 / spanS).toFixed(1)}/s); all done ${((Date.now() - started) / 1000).toFixed(1)} s after the two POSTs`,
		);
	});

	it('(c) the nodes’ Redis stopped mid-run: 503 while down, nothing runs twice, every delivery arrives once or leaves by Failure naming the cause', async () => {
		const stamp = Date.now();
		const statuses = new Map<string, number[]>();
		/** A sender that retries on 503 (as Standard Webhooks senders do), to main and the webhook processor in turn. */
		const send = async (id: string, index: number) => {
			const headers = senderHeaders('standardWebhooks', BODY, SECRET, Date.now(), id);
			const list: number[] = [];
			statuses.set(id, list);
			const deadline = Date.now() + 60_000;
			for (let attempt = 0; Date.now() < deadline; attempt++) {
				const target = [queue.main, queue.webhook][(index + attempt) % 2];
				const answer = await post(target.webhookUrl(HOOK.outage), headers, BODY);
				list.push(answer.status);
				if (answer.status !== 503) return answer;
				await sleep(300);
			}
			throw new Error(`${id} was never accepted`);
		};
		// Batch 1: 20 deliveries accepted at once; at 2/s their dispatches take 10 s, so most still wait for a slot when Redis stops.
		const batch1 = Array.from({ length: 20 }, (_, index) => `msg_c1_${stamp}_${index}`);
		const first = await Promise.all(batch1.map(async (id, index) => await send(id, index)));
		expect(first.map((answer) => answer.status)).toEqual(Array(20).fill(200));
		await until('the first dispatch', async () => (await refresh()) && arrivals('/c/').length >= 1, 30_000, 100);
		await nodesRedis.stop();
		const stoppedAt = Date.now();
		// Batch 2: sent while Redis is down; answered 503 until it is back.
		const batch2 = Array.from({ length: 10 }, (_, index) => `msg_c2_${stamp}_${index}`);
		const second = Promise.all(batch2.map(async (id, index) => await send(id, index)));
		await sleep(5000);
		await nodesRedis.start();
		const downS = (Date.now() - stoppedAt) / 1000;
		const secondAnswers = await second;
		expect(secondAnswers.every((answer) => answer.status === 200)).toBe(true);

		const all = [...batch1, ...batch2];
		const idOf = (request: Arrival) => request.url.split('/').pop()!;
		await until('every delivery to arrive or fail', async () => (await refresh()) && new Set(arrivals('/c/').map(idOf)).size >= all.length, 120_000, 500);
		await sleep(3000);
		await refresh();
		const ok = arrivals('/c/ok/').map(idOf);
		const failed = arrivals('/c/failure/');
		// Nothing twice, nothing lost: each accepted delivery reached the receiver once, or left by Failure once.
		for (const id of all) expect([...ok, ...failed.map(idOf)].filter((arrived) => arrived === id)).toHaveLength(1);
		expect(arrivals('/c/')).toHaveLength(all.length);
		for (const request of failed) {
			const body = JSON.parse(request.body) as { kind: string; message: string };
			expect(body.kind).toBe('rateLimit');
			expect(body.message).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable/);
			expect(request.body).not.toContain(NODES_REDIS_PASSWORD);
		}
		const answered503 = [...statuses.values()].filter((list) => list.includes(503)).length;
		expect(answered503).toBeGreaterThan(0);
		expect(failed.length).toBeGreaterThan(0);

		const runs = await until(
			'every execution to be listed as finished',
			async () => {
				const list = await executions(WF.outage);
				return list.length >= all.length && list.every((run) => run.status === 'success') && list;
			},
			60_000,
			1000,
		);
		expect(runs).toHaveLength(all.length);
		results.push(
			`(c) nodes' Redis down ${downS.toFixed(1)} s: ${all.length} deliveries, ${all.length} executions; ${answered503} deliveries answered 503 first (${[...statuses.values()].flat().filter((s) => s === 503).length} answers 503 in all), each accepted once; at the receiver ${ok.length} dispatched + ${failed.length} Failure items (kind rateLimit, naming Redis), 0 twice, 0 lost`,
		);
	});
});
