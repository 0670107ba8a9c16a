/**
 * The rows measured in this process against in-process peers: signature verification,
 * template rendering, the dispatch engine, rate-limit accuracy. Contenders alternate in rounds.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { Webhook } from 'standardwebhooks';
import { deliver, mapWithConcurrency, prepareRequest, RateLimiter, type Clock, type DeliveryPolicy, type RequestTemplate } from '../lib/dispatch';
import { signStandardWebhook, verifyStandardWebhook } from '../lib/verify';
import { median, ratioRow, type BenchResult, type Row } from './support/measure';
import type { RatioSpread, TemplateRow } from './template.bench.mjs';

const ROOT = resolve(__dirname, '..');
const clock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((done) => setTimeout(done, ms)) };

/** Median ops/s over `rounds`, each contender measured once per round, in alternating order. */
function compare(contenders: Record<string, () => unknown>, rounds = 7, sliceMs = 250): Record<string, { median: number; samples: number[] }> {
	const names = Object.keys(contenders);
	for (const name of names) for (let i = 0; i < 2000; i++) contenders[name]();
	const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
	for (let round = 0; round < rounds; round++) {
		const order = round % 2 ? [...names].reverse() : names;
		for (const name of order) {
			const fn = contenders[name];
			let count = 0;
			const start = performance.now();
			let elapsed = 0;
			while (elapsed < sliceMs) {
				for (let i = 0; i < 100; i++) fn();
				count += 100;
				elapsed = performance.now() - start;
			}
			samples[name].push((count / elapsed) * 1000);
		}
	}
	return Object.fromEntries(names.map((n) => [n, { median: median(samples[n]), samples: samples[n] }]));
}

export async function runVerifyBench(): Promise<BenchResult> {
	const secret = `whsec_${Buffer.from('bench-standard-webhooks-key-0123456789').toString('base64')}`;
	const body = readFileSync(join(ROOT, 'test', 'fixtures', 'currents-run-finish.json'));
	const bodyText = body.toString('utf8');
	const id = 'msg_2Lx0000000000000000000000';
	const nowSeconds = Math.floor(Date.now() / 1000);
	const headers = { 'webhook-id': id, 'webhook-timestamp': String(nowSeconds), 'webhook-signature': signStandardWebhook(secret, id, nowSeconds, body) };
	// The trigger hands the verifier the same secrets list until the credential changes.
	const secrets = Object.freeze([secret, '']);
	const theirs = new Webhook(secret);
	const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
	const presented = Buffer.from(headers['webhook-signature'].slice(3), 'base64');
	// All three do the same work: check the signature and the time, and parse the JSON body.
	const contenders = {
		ours: () => {
			if (!verifyStandardWebhook({ headers, rawBody: body, secrets, toleranceSeconds: 300, nowMs: Date.now() }).ok) throw new Error('ours refused');
			return JSON.parse(bodyText) as unknown;
		},
		standardwebhooks: () => theirs.verify(bodyText, headers),
		'node:crypto': () => {
			const expected = createHmac('sha256', key).update(`${id}.${nowSeconds}.`).update(body).digest();
			if (!timingSafeEqual(expected, presented) || Math.abs(Date.now() / 1000 - nowSeconds) > 300) throw new Error('refused');
			return JSON.parse(bodyText) as unknown;
		},
	};
	const result = compare(contenders);
	const group = 'Signature verification (Standard Webhooks, 550-byte body)';
	return {
		rows: [
			ratioRow({
				group,
				metric: 'verify + parse, ops/s',
				ours: result.ours.median,
				peer: result.standardwebhooks.median,
				peerName: '`standardwebhooks` npm',
				unit: '/s',
				goal: '≥ 1.0×',
				min: 1,
			}),
			ratioRow({
				group,
				metric: 'verify + parse, ops/s',
				ours: result.ours.median,
				peer: result['node:crypto'].median,
				peerName: 'bare node:crypto',
				unit: '/s',
			}),
		],
		raw: result,
	};
}

/** The loop case is the one whose cost grows with the data: it has to beat handlebars by half. */
const LOOP_GOAL = 1.5;

/** A template row: medians of renders per CPU-second; the ratio is the median of the rounds' ratios. */
function templateRow(r: TemplateRow, peer: number, spread: RatioSpread, peerName: string): Row {
	const isLoop = r.case.startsWith('loop') && peerName.startsWith('handlebars');
	const row = ratioRow({ group: 'Template rendering', metric: `${r.case}, renders/CPU-s`, ours: r.ours, peer, peerName, unit: '/s' });
	const note = `per round ${spread.min.toFixed(2)}–${spread.max.toFixed(2)}× (${r.rounds.ours.length} rounds)`;
	return { ...row, ratio: spread.median, note, ...(isLoop ? { goal: `≥ ${LOOP_GOAL}×`, met: spread.median >= LOOP_GOAL } : {}) };
}

export async function runTemplateBench(): Promise<BenchResult> {
	const { measureTemplates } = await import('./template.bench.mjs');
	const rows = measureTemplates();
	return {
		rows: rows.flatMap((r) => [
			templateRow(r, r.liquidOps, r.liquidRatio, 'liquidjs'),
			templateRow(r, r.handlebarsOps, r.handlebarsRatio, 'handlebars, precompiled'),
		]),
		raw: { rows },
	};
}

/** Starts the receiver in its own process; resolves its URL and a way to stop it. */
async function startReceiverProcess(): Promise<{ url: string; child: ChildProcess; times(): Promise<number[]>; stop(): void }> {
	const child = fork(join(__dirname, 'support', 'receiver-process.cjs'), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
	const port = await new Promise<number>((done, fail) => {
		child.stdout!.once('data', (chunk: Buffer) => done(Number(chunk.toString().trim())));
		child.once('exit', (code) => fail(new Error(`receiver exited with ${code}`)));
	});
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		child,
		times: async () => (await (await fetch(`${url}/__times`)).json()) as number[],
		stop: () => child.kill(),
	};
}

const template = (rootUrl: string): RequestTemplate => ({
	method: 'POST',
	rootUrl,
	path: '/items',
	query: [],
	inheritedHeaders: {},
	secretHeaders: {},
	nodeHeaders: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }],
	excludeInheritedHeaders: [],
	bodyContentType: 'json',
	body: '{"run": "${ run }", "i": ${ i }}',
	signed: false,
});
const policy: DeliveryPolicy = { maxRetries: 3, retryWindowMs: 60_000, timeoutMs: 10_000, blockPrivateNetworks: false };

/** Alternating rounds of the dispatch-engine row (each round: 10k items through each contender). */
const DISPATCH_ROUNDS = Number(process.env.BENCH_DISPATCH_ROUNDS ?? 9);

/** Median, lowest and highest of the per-round ratios ours ÷ peer (rounds paired by index). */
function ratioSpread(ours: number[], peer: number[]): RatioSpread {
	const ratios = ours.map((value, i) => value / peer[i]);
	return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

export async function runDispatchEngineBench(): Promise<BenchResult> {
	const receiver = await startReceiverProcess();
	const ITEMS = 10_000;
	const CONCURRENCY = 50;
	try {
		const items = Array.from({ length: ITEMS }, (_, i) => ({ run: 'bench', i }));
		const t = template(receiver.url);
		const ours = async () => {
			const outcomes = await mapWithConcurrency(
				items,
				CONCURRENCY,
				async (item, i) => await deliver(prepareRequest(t, item, `tx-${i}`), `tx-${i}`, policy, { clock }),
			);
			if (outcomes.some((o) => !o.success)) throw new Error('a delivery failed');
		};
		const pool = new Pool(receiver.url, { connections: CONCURRENCY });
		// The peer: the same requests (same body, same header) with undici, 50 at a time.
		const plain = async () => {
			let next = 0;
			const worker = async () => {
				while (next < ITEMS) {
					const i = next++;
					const answer = await pool.request({
						method: 'POST',
						path: '/items',
						headers: { 'content-type': 'application/json', 'idempotency-key': `tx-${i}` },
						body: JSON.stringify(items[i]),
					});
					await answer.body.text();
					if (answer.statusCode !== 200) throw new Error(`status ${answer.statusCode}`);
				}
			};
			await Promise.all(Array.from({ length: CONCURRENCY }, worker));
		};
		// Items per CPU-second of this process (the receiver runs in its own): what the machine's
		// other load does to wall time does not move it, and the contenders alternate each round.
		// The loop runs twice a round (`undiciTwin`): the A/A control, how far the same code reads
		// from round to round here.
		type Contender = 'ours' | 'undici' | 'undiciTwin';
		const contenders: [Contender, () => Promise<void>][] = [
			['ours', ours],
			['undici', plain],
			['undiciTwin', plain],
		];
		const samples = Object.fromEntries(contenders.map(([name]) => [name, { cpuRate: [] as number[], wallRate: [] as number[] }])) as Record<
			Contender,
			{ cpuRate: number[]; wallRate: number[] }
		>;
		await ours();
		await plain();
		for (let round = 0; round < DISPATCH_ROUNDS; round++) {
			// Rotated every round: none always runs first or last.
			for (let k = 0; k < contenders.length; k++) {
				const [name, fn] = contenders[(k + round) % contenders.length];
				const cpu0 = process.cpuUsage();
				const t0 = performance.now();
				await fn();
				const wallMs = performance.now() - t0;
				const cpu = process.cpuUsage(cpu0);
				samples[name].cpuRate.push(ITEMS / ((cpu.user + cpu.system) / 1e6));
				samples[name].wallRate.push((ITEMS / wallMs) * 1000);
			}
			await receiver.times();
		}
		await pool.close();
		const group = 'Dispatch engine (lib/dispatch), 10k items, concurrency 50, loopback';
		/** One contender against another, round by round: the median of the rounds' ratios and their spread. */
		const spreadRow = (
			metric: string,
			key: 'cpuRate' | 'wallRate',
			{ ours = 'ours', peer = 'undici', peerName = 'plain undici loop', goal }: { ours?: Contender; peer?: Contender; peerName?: string; goal?: number } = {},
		): Row => {
			const spread = ratioSpread(samples[ours][key], samples[peer][key]);
			const row = ratioRow({ group, metric, ours: median(samples[ours][key]), peer: median(samples[peer][key]), peerName, unit: '/s' });
			const note = `per round ${spread.min.toFixed(2)}–${spread.max.toFixed(2)}× (${DISPATCH_ROUNDS} rounds)`;
			return { ...row, ratio: spread.median, note, ...(goal ? { goal: `≥ ${goal}×`, met: spread.median >= goal } : {}) };
		};
		return {
			rows: [
				spreadRow('items delivered per CPU-second', 'cpuRate', { goal: 0.8 }),
				spreadRow('items delivered/s (wall clock)', 'wallRate'),
				spreadRow('A/A control: the plain undici loop, items per CPU-second', 'cpuRate', {
					ours: 'undici',
					peer: 'undiciTwin',
					peerName: 'the same loop, run again',
				}),
			],
			raw: {
				samples,
				cpuMicrosecondsPerItem: Object.fromEntries(contenders.map(([name]) => [name, samples[name].cpuRate.map((rate) => 1e6 / rate)])),
			},
		};
	} finally {
		receiver.stop();
	}
}

/** The most arrivals in any one-second window (each window starting at an arrival). */
function maxInOneSecond(times: number[]): number {
	let best = 0;
	let j = 0;
	for (let i = 0; i < times.length; i++) {
		while (times[j] <= times[i] - 1000) j++;
		best = Math.max(best, i - j + 1);
	}
	return best;
}

export async function runRateLimitBench(): Promise<BenchResult> {
	const receiver = await startReceiverProcess();
	try {
		const rows = [];
		const raw: Record<string, unknown> = {};
		for (const [rate, count] of [
			[20, 161],
			[200, 1601],
		] as const) {
			const limiter = new RateLimiter(rate, clock);
			const t = template(receiver.url);
			await receiver.times();
			// More senders than the rate needs, as the node's concurrency would be: the limiter alone paces.
			await mapWithConcurrency(
				Array.from({ length: count }, (_, i) => i),
				50,
				async (i) => await deliver(prepareRequest(t, { run: 'rate', i }, `rate-${i}`), `rate-${i}`, policy, { clock, limiter }),
			);
			const times = (await receiver.times()).sort((a, b) => a - b);
			const achieved = ((times.length - 1) / (times[times.length - 1] - times[0])) * 1000;
			const most = maxInOneSecond(times);
			raw[`${rate}/s`] = { achieved, most, arrivals: times.length, spanMs: times[times.length - 1] - times[0] };
			const group = 'Rate limit (Webhook Integration rateLimitPerSecond), receiver in its own process';
			rows.push(
				{
					...ratioRow({ group, metric: `${rate}/s: achieved rate (${count} requests)`, ours: achieved, peer: rate, peerName: 'the limit', unit: '/s' }),
					goal: 'within ±2 %',
					met: Math.abs(achieved / rate - 1) <= 0.02,
				},
				{
					...ratioRow({ group, metric: `${rate}/s: most requests in any 1 s window`, ours: most, peer: rate, peerName: 'the limit', unit: '' }),
					goal: '≤ the limit',
					met: most <= rate,
				},
			);
		}
		return { rows, raw };
	} finally {
		receiver.stop();
	}
}
