/**
 * `npm run bench:soak` (issue 25 item 1): memory under sustained load. Each contender (n8n's
 * Webhook node, n8n's Currents Trigger, the Test Run Trigger, the bare community trigger) gets
 * a real n8n 2.x of its own; all of them run at once and take turns: phase k sends one fifth of
 * the deliveries (genuine, 10 at a time) to each contender in turn, and exactly `QUIET_S` after
 * each of its phases (and after a short warm-up, the baseline) a contender's settled RSS and heap are read (the other contenders' phases
 * fill that quiet time). RSS (/proc) and n8n's own /metrics (N8N_METRICS=true: heap used,
 * external memory, isolate acquisitions) are sampled throughout.
 *   BENCH_SOAK_DELIVERIES=5000  genuine deliveries per contender
 *   BENCH_SOAK_PHASES=5         phases per contender (the slope is read from the end of the first)
 *   BENCH_SOAK_CONNECTIONS=10   requests in flight
 *   BENCH_SOAK_QUIET_S=60       quiet time after each phase before the settled memory is read
 *   BENCH_SOAK_SAMPLE_MS=2000   sampling interval
 *   BENCH_SOAK_WARMUP=20        deliveries to each before the baseline (not counted)
 *   BENCH_SOAK_TARGETS=webhook,currents,ours,bare
 *   BENCH_SOAK_ENGINE=default   or lazy (N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true)
 * Prints a table and writes bench/soak-results.json (every sample).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { installN8n, packPackage } from '../tools/n8nServer';
import { N8N_2 } from '../tools/n8nVersions';
import { until } from '../tools/until';
import { closedLoop, machine, rssMb } from './support/measure';
import { engineModes, ENGINE_MODES, genuineBody, headersFor, startBenchN8n, TARGET_NAMES, type BenchN8n, type Target } from './support/n8nContenders';

const ROOT = resolve(__dirname, '..');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const DELIVERIES = env('BENCH_SOAK_DELIVERIES', 5000);
const PHASES = env('BENCH_SOAK_PHASES', 5);
const CONNECTIONS = env('BENCH_SOAK_CONNECTIONS', 10);
const QUIET_S = env('BENCH_SOAK_QUIET_S', 60);
const SAMPLE_MS = env('BENCH_SOAK_SAMPLE_MS', 2000);
const WARMUP = env('BENCH_SOAK_WARMUP', 20);
const MB = 2 ** 20;

interface Sample {
	/** Seconds since the soak started. */
	t: number;
	delivered: number;
	rssMb: number;
	heapUsedMb?: number;
	externalMb?: number;
	/** n8n's count of expression isolates acquired so far (its expression-engine metrics), when exposed. */
	isolatesAcquired?: number;
}

interface Contender {
	target: Target;
	instance: BenchN8n;
	delivered: number;
	samples: Sample[];
	/** Memory read QUIET_S after each phase; the first entry is before any delivery. */
	settled: Sample[];
	peakRssMb: number;
	statuses: Record<number, number>;
	notExecuted: number;
}

const START = performance.now();
const elapsed = () => (performance.now() - START) / 1000;

/** One reading of /metrics (prom-client names with n8n's prefix, found by their suffix). */
async function readMetrics(instance: BenchN8n): Promise<Omit<Sample, 't' | 'delivered' | 'rssMb'>> {
	try {
		const text = await (await fetch(`${instance.n8n.baseUrl}/metrics`)).text();
		const value = (pattern: RegExp) => {
			const match = pattern.exec(text);
			return match ? Number(match[1]) : undefined;
		};
		const bytes = (pattern: RegExp) => {
			const v = value(pattern);
			return v === undefined ? undefined : v / MB;
		};
		return {
			heapUsedMb: bytes(/^\w*nodejs_heap_size_used_bytes (\S+)$/m),
			externalMb: bytes(/^\w*nodejs_external_memory_bytes (\S+)$/m),
			isolatesAcquired: value(/^\w*expression_pool_acquired\w*(?:\{[^}]*\})? (\S+)$/m),
		};
	} catch {
		return {};
	}
}

async function sample(contender: Contender): Promise<Sample> {
	const reading: Sample = { t: elapsed(), delivered: contender.delivered, rssMb: rssMb(contender.instance.pid), ...(await readMetrics(contender.instance)) };
	contender.samples.push(reading);
	return reading;
}

/** One phase: `count` genuine deliveries, then the wait until n8n has executed every accepted one. */
async function deliver(contender: Contender, count: number): Promise<void> {
	const { instance, target } = contender;
	const before = await instance.executions(target);
	const tag = `soak-${target}-${randomUUID().slice(0, 8)}`;
	const load = await closedLoop(
		instance.url[target],
		CONNECTIONS,
		3600,
		(i) => ({ headers: headersFor(target, 'genuine'), body: genuineBody(tag, i) }),
		instance.pid,
		count,
	);
	contender.delivered += load.sent;
	contender.peakRssMb = Math.max(contender.peakRssMb, load.peakRssMb);
	for (const [status, n] of Object.entries(load.statuses)) contender.statuses[Number(status)] = (contender.statuses[Number(status)] ?? 0) + n;
	const expected = load.statuses[200] ?? 0;
	let executed = 0;
	await until(`${expected} executions of ${target}`, async () => (executed = (await instance.executions(target)) - before) >= expected, 120_000, 500).catch(
		() => undefined,
	);
	contender.notExecuted += Math.max(0, expected - executed);
}

/** Least-squares slope of settled RSS (or heap) against deliveries, in MB per 1000 deliveries. */
function slopePer1000(points: Sample[], field: 'rssMb' | 'heapUsedMb'): number {
	const xs = points.map((p) => p.delivered / 1000);
	const ys = points.map((p) => p[field] ?? Number.NaN);
	const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
	const my = ys.reduce((a, b) => a + b, 0) / ys.length;
	const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
	return sxx === 0 ? Number.NaN : xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / sxx;
}

export interface SoakSummary {
	target: Target;
	delivered: number;
	baselineRssMb: number;
	settledRssMb: number;
	/** Settled RSS after the last phase minus before the first. */
	rssGrowthMb: number;
	/** From the end of the first phase to the end of the last (at the defaults: delivery 1,000 to 5,000). */
	rssSlopeMbPer1000: number;
	heapGrowthMb: number;
	heapSlopeMbPer1000: number;
	peakRssMb: number;
	isolatesAcquiredPerDelivery: number;
}

function summarize(contender: Contender): SoakSummary {
	const [baseline, ...afterPhases] = contender.settled;
	const last = afterPhases.at(-1) ?? baseline;
	const acquired = (last.isolatesAcquired ?? Number.NaN) - (baseline.isolatesAcquired ?? Number.NaN);
	return {
		target: contender.target,
		delivered: contender.delivered,
		baselineRssMb: baseline.rssMb,
		settledRssMb: last.rssMb,
		rssGrowthMb: last.rssMb - baseline.rssMb,
		rssSlopeMbPer1000: slopePer1000(afterPhases, 'rssMb'),
		heapGrowthMb: (last.heapUsedMb ?? Number.NaN) - (baseline.heapUsedMb ?? Number.NaN),
		heapSlopeMbPer1000: slopePer1000(afterPhases, 'heapUsedMb'),
		peakRssMb: contender.peakRssMb,
		isolatesAcquiredPerDelivery: acquired / Math.max(1, contender.delivered),
	};
}

async function main() {
	const install = installN8n(N8N_2);
	const [engine] = engineModes(process.env.BENCH_SOAK_ENGINE ?? 'default');
	const tarball = process.env.BENCH_TARBALL ?? packPackage();
	const targets = (process.env.BENCH_SOAK_TARGETS?.split(',') ?? (['webhook', 'currents', 'ours', 'bare'] satisfies Target[])) as Target[];
	const perPhase = Math.ceil(DELIVERIES / PHASES);
	const contenders: Contender[] = [];
	const timer = setInterval(() => void Promise.all(contenders.map(sample)), SAMPLE_MS);
	try {
		for (const target of targets) {
			process.stderr.write(`▶ starting n8n for ${TARGET_NAMES[target]}…\n`);
			const instance = await startBenchN8n({
				install,
				tarball,
				mode: engine,
				targets: [target],
				settings: { N8N_METRICS: 'true', N8N_METRICS_INCLUDE_DEFAULT_METRICS: 'true' },
			});
			contenders.push({ target, instance, delivered: 0, samples: [], settled: [], peakRssMb: 0, statuses: {}, notExecuted: 0 });
		}
		const settling = new Map<Contender, Promise<unknown>>();
		const settleLater = (contender: Contender) =>
			settling.set(
				contender,
				new Promise((done) => setTimeout(done, QUIET_S * 1000)).then(async () => contender.settled.push(await sample(contender))),
			);
		// The baseline: a few deliveries to each (code paths loaded, caches warm), then QUIET_S of
		// quiet for each alike (n8n's RSS right after start-up is still falling).
		for (const contender of contenders) {
			await deliver(contender, WARMUP);
			contender.delivered = 0;
			settleLater(contender);
		}
		for (let phase = 0; phase < PHASES; phase++) {
			for (let k = 0; k < contenders.length; k++) {
				// Rotate the order every phase: none always runs first or last.
				const contender = contenders[(k + phase) % contenders.length];
				await settling.get(contender);
				const count = Math.min(perPhase, DELIVERIES - contender.delivered);
				process.stderr.write(`  phase ${phase + 1}/${PHASES}: ${count} deliveries to ${TARGET_NAMES[contender.target]} (${elapsed().toFixed(0)} s)\n`);
				await deliver(contender, count);
				settleLater(contender);
			}
		}
		await Promise.all(settling.values());
	} finally {
		clearInterval(timer);
		for (const contender of contenders) await contender.instance.n8n.stop();
	}

	const summaries = contenders.map(summarize);
	const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
	const webhook = summaries.find((s) => s.target === 'webhook');
	const lines = [
		`| contender | delivered | RSS before → settled (MB) | RSS growth (MB) | RSS slope after phase 1 (MB/1000) | heap growth (MB) | heap slope (MB/1000) | peak RSS (MB) | isolates acquired/delivery | growth ÷ Webhook node's (goal ≤ 1.5×) |`,
		'| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
		...summaries.map((s) => {
			const ratio = webhook && s.target !== 'webhook' ? s.rssGrowthMb / webhook.rssGrowthMb : Number.NaN;
			const goal = s.target === 'ours' && Number.isFinite(ratio) ? ` ${ratio <= 1.5 ? '✔' : '✘'}` : '';
			return `| ${TARGET_NAMES[s.target]} | ${s.delivered} | ${fmt(s.baselineRssMb, 0)} → ${fmt(s.settledRssMb, 0)} | ${fmt(s.rssGrowthMb)} | ${fmt(s.rssSlopeMbPer1000, 2)} | ${fmt(s.heapGrowthMb)} | ${fmt(s.heapSlopeMbPer1000, 2)} | ${fmt(s.peakRssMb, 0)} | ${fmt(s.isolatesAcquiredPerDelivery, 2)} | ${Number.isFinite(ratio) ? `${ratio.toFixed(2)}×${goal}` : ''} |`;
		}),
	];
	const refused = contenders.filter((c) => Object.keys(c.statuses).some((s) => s !== '200') || c.notExecuted > 0);
	const header = `npm run bench:soak — n8n ${N8N_2}, ${ENGINE_MODES[engine].label}; ${DELIVERIES} deliveries per contender in ${PHASES} phases, ${CONNECTIONS} at a time, settled memory read ${QUIET_S} s after each phase; ${(elapsed() / 60).toFixed(1)} min`;
	console.log(
		`${header}\n\n${lines.join('\n')}${refused.length ? `\n\nnot all accepted and executed: ${refused.map((c) => `${c.target} ${JSON.stringify(c.statuses)}, ${c.notExecuted} not executed`).join('; ')}` : ''}`,
	);
	writeFileSync(
		join(ROOT, 'bench', 'soak-results.json'),
		`${JSON.stringify({ date: new Date().toISOString(), machine: machine(), n8n: N8N_2, engine, settings: { DELIVERIES, PHASES, CONNECTIONS, QUIET_S, SAMPLE_MS }, table: lines, summaries, contenders: contenders.map(({ target, settled, samples, statuses, notExecuted }) => ({ target, settled, samples, statuses, notExecuted })) }, null, '\t')}\n`,
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
