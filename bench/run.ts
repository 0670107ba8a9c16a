/**
 * `npm run bench`: every benchmark module in one run, one table, bench/results.json.
 * Each row is a ratio against a peer measured in the same run (interleaved rounds).
 *   BENCH_N8N1=1        add the n8n 1.x rows (off by default: they add several minutes to a run;
 *                       n8n 1.x has no Currents Trigger, those rows stay empty)
 *   BENCH_QUEUE=1       add the queue-mode row (real n8n in queue mode: Postgres, Redis, four n8n
 *                       processes; several minutes on its own, so off by default)
 *   BENCH_MEMORY_DELIVERIES=200  genuine deliveries to ours and to n8n's Webhook node for the memory rows
 *   BENCH_ENGINE_MODES=default,lazy  n8n 2.x's expression-engine modes to measure side by side (one n8n each)
 *   BENCH_ONLY=a,b      run only these modules (names below)
 *   BENCH_CPU_PROFILE=dir  write a V8 CPU profile of the n8n 2.x process there
 * The soak rows are read from the last `npm run bench:soak` (bench/soak-results.json), if any.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packPackage } from '../tools/n8nServer';
import { N8N_1, N8N_2 } from '../tools/n8nVersions';
import type { SoakSummary } from './soak.bench';
import { machine, ratioRow, type BenchModule, type BenchResult, type Row } from './support/measure';

const ROOT = resolve(__dirname, '..');
const START = Date.now();

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const memoryDeliveries = Number(process.env.BENCH_MEMORY_DELIVERIES ?? 200);

/**
 * The benchmark modules, in the order they run. To add one (e.g. issue 18's queue mode,
 * bench/queue.bench.mjs), append `{ name, run }` here; `run` returns rows and raw samples.
 * A module with `enabledBy` runs only when that variable is 1 (asked for, it always runs).
 */
const modules: Array<BenchModule & { enabledBy?: string }> = [
	{ name: 'verify', run: async () => (await import('./micro.bench')).runVerifyBench() },
	{ name: 'trigger-webhook', run: async () => (await import('./trigger.bench')).runTriggerWebhookBench() },
	{ name: 'template', run: async () => (await import('./micro.bench')).runTemplateBench() },
	{ name: 'dispatch-engine', run: async () => (await import('./micro.bench')).runDispatchEngineBench() },
	{ name: 'rate-limit', run: async () => (await import('./micro.bench')).runRateLimitBench() },
	{
		name: 'n8n-2',
		run: async () =>
			(await import('./n8n.bench')).runN8nBench({
				version: N8N_2,
				seconds,
				rounds,
				connections: 10,
				dispatchItems: 2000,
				memoryDeliveries,
				cpuProfileDir: process.env.BENCH_CPU_PROFILE,
			}),
	},
	{
		name: 'n8n-1',
		enabledBy: 'BENCH_N8N1',
		run: async () =>
			(await import('./n8n.bench')).runN8nBench({
				version: N8N_1,
				seconds: Math.max(4, seconds - 2),
				rounds: 2,
				connections: 10,
				dispatchItems: 2000,
				memoryDeliveries: Math.round(memoryDeliveries / 2),
			}),
	},
	{ name: 'queue', enabledBy: 'BENCH_QUEUE', run: runQueueBench },
	{ name: 'soak', run: soakRows },
];

/**
 * The soak takes well over half an hour, so it is its own run (`npm run bench:soak`); its last
 * result, bench/soak-results.json, is shown here with its date, when there is one.
 */
async function soakRows(): Promise<BenchResult> {
	const file = join(ROOT, 'bench', 'soak-results.json');
	if (!existsSync(file)) return { rows: [], raw: { note: 'no bench/soak-results.json yet: npm run bench:soak' } };
	const soak = JSON.parse(readFileSync(file, 'utf8')) as {
		date: string;
		n8n: string;
		engine: string;
		settings: { DELIVERIES: number };
		summaries: SoakSummary[];
	};
	const of = (target: string) => soak.summaries.find((s) => s.target === target);
	const ours = of('ours');
	if (!ours) return { rows: [], raw: { summaries: soak.summaries } };
	const group = `Soak (npm run bench:soak of ${soak.date.slice(0, 10)}, n8n ${soak.n8n}, ${soak.engine} engine, ${soak.settings.DELIVERIES} deliveries each)`;
	const names: Record<string, string> = { webhook: "n8n's Webhook node", currents: "n8n's Currents Trigger", bare: 'bare community trigger' };
	const rows: Row[] = [];
	for (const peer of ['webhook', 'bare', 'currents']) {
		const theirs = of(peer);
		if (!theirs) continue;
		// The goal: our growth within 1.5× of the Webhook node's (the ratio is "how many times better").
		const goal = peer === 'webhook' ? { goal: '≥ 0.67× (growth ≤ 1.5× its)', min: 1 / 1.5 } : {};
		rows.push(
			ratioRow({
				group,
				metric: 'n8n settled RSS growth',
				ours: ours.rssGrowthMb,
				peer: theirs.rssGrowthMb,
				peerName: names[peer],
				unit: 'MB',
				lowerIsBetter: true,
				...goal,
			}),
		);
		// A slope near zero or below makes a ratio meaningless: both values, no ratio.
		rows.push({
			group,
			metric: 'settled RSS slope after the first phase, MB per 1000',
			ours: ours.rssSlopeMbPer1000,
			peer: theirs.rssSlopeMbPer1000,
			peerName: names[peer],
			unit: 'MB',
			ratio: Number.NaN,
		});
	}
	return { rows, raw: { date: soak.date, summaries: soak.summaries } };
}

/** bench/queue.bench.mjs in its own process (it starts and stops a whole queue-mode n8n); its last line is its JSON result. */
async function runQueueBench(): Promise<BenchResult> {
	const output = execFileSync('npx', ['tsx', join(ROOT, 'bench', 'queue.bench.mjs')], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 16 * 1024 * 1024,
	});
	const raw = JSON.parse(output.trim().split('\n').at(-1)!) as { n8n: string; redisPerSecond: number; inProcessPerSecond: number };
	const group = `Queue mode (n8n ${raw.n8n})`;
	return {
		rows: [
			ratioRow({
				group,
				metric: 'accepted deliveries/s via the webhook processor',
				ours: raw.redisPerSecond,
				peer: raw.inProcessPerSecond,
				peerName: 'in-process deduplication',
				unit: '/s',
			}),
		],
		raw,
	};
}

const fmt = (n: number, unit: string) => {
	if (!Number.isFinite(n)) return '–';
	const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
	return `${n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })}${unit && unit !== '/s' ? ` ${unit}` : unit}`;
};

async function main() {
	const only = process.env.BENCH_ONLY?.split(',');
	if (modules.some((m) => m.name.startsWith('n8n') && (!only || only.includes(m.name)))) process.env.BENCH_TARBALL ??= packPackage();
	const results: Record<string, unknown> = {};
	const rows: Row[] = [];
	const skipped: string[] = [];
	const failed: string[] = [];
	for (const module of modules) {
		if (only && !only.includes(module.name)) continue;
		if (module.enabledBy && process.env[module.enabledBy] !== '1') {
			skipped.push(`${module.name} (off by default: ${module.enabledBy}=1 adds it)`);
			continue;
		}
		const t0 = Date.now();
		process.stderr.write(`▶ ${module.name}…\n`);
		try {
			const result = await module.run();
			rows.push(...result.rows);
			results[module.name] = { seconds: (Date.now() - t0) / 1000, rows: result.rows, raw: result.raw };
		} catch (error) {
			// One module failing leaves the others' rows standing; the failure is reported.
			failed.push(`${module.name}: ${(error as Error).message.split('\n')[0]}`);
			results[module.name] = { seconds: (Date.now() - t0) / 1000, error: (error as Error).message.slice(0, 4000) };
		}
	}

	let group = '';
	const lines = ['| group | measured | ours | peer | peer value | ratio | goal | per round |', '| --- | --- | ---: | --- | ---: | ---: | --- | --- |'];
	for (const row of rows) {
		const goal = row.goal ? `${row.goal} ${row.met ? '✔' : '✘'}` : '';
		lines.push(
			`| ${row.group === group ? '' : row.group} | ${row.metric} | ${fmt(row.ours, row.unit)} | ${row.peerName} | ${fmt(row.peer, row.unit)} | ${Number.isFinite(row.ratio) ? `${row.ratio.toFixed(2)}×` : '–'} | ${goal} | ${row.note ?? ''} |`,
		);
		group = row.group;
	}
	const uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
	const header = `npm run bench — ${new Date().toISOString()}, ${machine().cpus} cores, node ${process.version}; load: ${uptime.split('load average:')[1]?.trim()}; ${((Date.now() - START) / 1000).toFixed(0)} s`;
	console.log(
		`${header}\n\n${lines.join('\n')}${skipped.length ? `\n\nskipped: ${skipped.join(', ')}` : ''}${failed.length ? `\n\nFAILED: ${failed.join('; ')}` : ''}`,
	);
	writeFileSync(
		join(ROOT, 'bench', 'results.json'),
		`${JSON.stringify({ date: new Date().toISOString(), machine: { ...machine(), uptime }, durationSeconds: (Date.now() - START) / 1000, settings: { seconds, rounds }, skipped, failed, table: lines, modules: results }, null, '\t')}\n`,
	);
	if (failed.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
