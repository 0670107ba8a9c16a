// Queue mode: accepted deliveries per second through an n8n webhook processor, Test Run Trigger
// with Redis deduplication (the `redis` credential) against the same trigger without it
// (in-process memory), in the same run, on the same n8n: real n8n 2.x (tools/n8nVersions.ts) in queue mode (main,
// one webhook processor, two workers, Postgres, Redis; tools/n8nQueue.ts). Each round sends
// N distinct signed deliveries, C at a time, to the webhook processor and times the answers;
// rounds alternate between the two triggers so load from the machine hits both alike. Prints
// the median of each and the ratio (Redis / in-process).
//   npm run bench:queue            (BENCH_QUEUE_N, BENCH_QUEUE_CONCURRENCY, BENCH_QUEUE_ROUNDS, BENCH_QUEUE_WARMUP)
//   smoke run: BENCH_QUEUE_N=20 BENCH_QUEUE_ROUNDS=1 BENCH_QUEUE_WARMUP=5 npm run bench:queue
// Runs under tsx to use the test tools in TypeScript.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { N8nQueue } from '../tools/n8nQueue.ts';
import { installN8n, packPackage } from '../tools/n8nServer.ts';
import { N8N_2 } from '../tools/n8nVersions.ts';
import { RedisServer, redisServerBinary } from '../tools/redisServer.ts';

const N = Number(process.env.BENCH_QUEUE_N ?? 100);
const CONCURRENCY = Number(process.env.BENCH_QUEUE_CONCURRENCY ?? 10);
const ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_QUEUE_WARMUP ?? 50);
const VERSION = process.env.BENCH_QUEUE_N8N_VERSION ?? N8N_2;
const PKG = 'n8n-nodes-test-run-webhooks';
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const REDIS_PASSWORD = 'bench-redis-password';
const BODY = readFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', 'currents-run-finish.json'), 'utf8');
const HOOKS = { redis: 'c1b2c3d4-0000-4000-8000-0000000000b1', local: 'c1b2c3d4-0000-4000-8000-0000000000b2' };

const trigger = (webhookId, withRedis) => ({
	id: `${webhookId}-node`,
	name: 'Test Run Trigger',
	type: `${PKG}.testRunTrigger`,
	typeVersion: 1,
	position: [0, 0],
	webhookId,
	parameters: { source: 'standardWebhooks', options: { includeRawPayload: false } },
	credentials: { testRunWebhookSecret: { id: 'benchCredSecret1', name: 'Secret' }, ...(withRedis ? { redis: { id: 'benchCredRedis01', name: 'Redis' } } : {}) },
});
const workflow = (id, name, node) => ({
	id,
	name,
	active: false,
	settings: { executionOrder: 'v1', saveDataSuccessExecution: 'none' },
	nodes: [node],
	connections: {},
});

function signed(id) {
	const now = new Date();
	return {
		'content-type': 'application/json',
		'webhook-id': id,
		'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
		'webhook-signature': new Webhook(SECRET).sign(id, now, BODY),
	};
}

/** N distinct deliveries, CONCURRENCY at a time; accepted per second, and any answer that was not {received: true}. */
async function round(url, label, count) {
	let next = 0;
	const wrong = [];
	const start = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < count) {
				const id = `msg_bench_${label}_${next++}_${randomBytes(4).toString('hex')}`;
				const response = await fetch(url, { method: 'POST', headers: signed(id), body: BODY });
				const text = await response.text();
				if (response.status !== 200 || text !== '{"received":true}') wrong.push(`${response.status} ${text.slice(0, 100)}`);
			}
		}),
	);
	const seconds = (performance.now() - start) / 1000;
	if (wrong.length) throw new Error(`${label}: ${wrong.length} deliveries not accepted, e.g. ${wrong[0]}`);
	return count / seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const binary = redisServerBinary();
if (!binary) throw new Error('redis-server is missing: bash scripts/ensure-redis.sh');
const nodesRedis = new RedisServer(binary, REDIS_PASSWORD);
const queue = new N8nQueue(installN8n(VERSION), packPackage(), { workers: 2, workerConcurrency: 5 });
try {
	await nodesRedis.start();
	await queue.start(
		[
			{ id: 'benchCredSecret1', name: 'Secret', type: 'testRunWebhookSecret', data: { secret: SECRET, previousSecret: '' } },
			{
				id: 'benchCredRedis01',
				name: 'Redis',
				type: 'redis',
				data: { host: '127.0.0.1', port: nodesRedis.port, password: REDIS_PASSWORD, user: '', database: 0, ssl: false },
			},
		],
		[
			workflow('benchQueueRedis1', 'Bench: Redis dedup', trigger(HOOKS.redis, true)),
			workflow('benchQueueLocal1', 'Bench: in-process dedup', trigger(HOOKS.local, false)),
		],
	);
	const urls = { redis: queue.webhook.webhookUrl(HOOKS.redis), local: queue.webhook.webhookUrl(HOOKS.local) };
	for (const url of Object.values(urls)) await queue.webhook.waitForWebhook(url);
	// Warm-up: connections, JIT, the first jobs.
	await round(urls.redis, 'warm-redis', WARMUP);
	await round(urls.local, 'warm-local', WARMUP);
	const rates = { redis: [], local: [] };
	for (let r = 0; r < ROUNDS; r++) {
		for (const mode of r % 2 ? ['local', 'redis'] : ['redis', 'local']) rates[mode].push(await round(urls[mode], `${mode}-${r}`, N));
	}
	const result = {
		n8n: VERSION,
		layout: 'main + 1 webhook processor + 2 workers (concurrency 5), Postgres 15, Redis 7',
		deliveriesPerRound: N,
		concurrency: CONCURRENCY,
		rounds: ROUNDS,
		redisPerSecond: Number(median(rates.redis).toFixed(1)),
		inProcessPerSecond: Number(median(rates.local).toFixed(1)),
		ratio: Number((median(rates.redis) / median(rates.local)).toFixed(3)),
		allRounds: { redis: rates.redis.map((v) => Number(v.toFixed(1))), local: rates.local.map((v) => Number(v.toFixed(1))) },
	};
	console.log(
		`queue mode, accepted deliveries/s through the webhook processor (${N} per round, ${CONCURRENCY} at a time, median of ${ROUNDS}): ` +
			`Redis deduplication ${result.redisPerSecond}/s, in-process ${result.inProcessPerSecond}/s, ratio ${result.ratio}`,
	);
	console.log(JSON.stringify(result));
} finally {
	await queue.stop();
	await nodesRedis.dispose();
}
