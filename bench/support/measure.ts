/** Helpers shared by the benchmark modules: load generation, percentiles, process stats. */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface Row {
	/** Section of the table, e.g. "Trigger in n8n 2.x.y". */
	group: string;
	metric: string;
	ours: number;
	peer: number;
	peerName: string;
	unit: string;
	/** ours ÷ peer, or peer ÷ ours when lower is better. */
	ratio: number;
	/** The goal as text (e.g. "≥ 0.95×") and whether this run met it. */
	goal?: string;
	met?: boolean;
	note?: string;
}

export interface BenchResult {
	rows: Row[];
	raw: Record<string, unknown>;
}

/** A benchmark module: the runner calls them in order; issue 18 adds `queue` here. */
export interface BenchModule {
	name: string;
	run(): Promise<BenchResult>;
}

export const ratioRow = (row: Omit<Row, 'ratio' | 'met'> & { lowerIsBetter?: boolean; min?: number }): Row => {
	const { lowerIsBetter, min, ...rest } = row;
	const ratio = lowerIsBetter ? row.peer / row.ours : row.ours / row.peer;
	return { ...rest, ratio, ...(min === undefined ? {} : { met: ratio >= min }) };
};

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const median = (values: number[]): number => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function rssMb(pid: number): number {
	const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) / 1024 : Number.NaN;
}

export interface LoadResult {
	sent: number;
	statuses: Record<number, number>;
	latenciesMs: number[];
	seconds: number;
	peakRssMb: number;
	rssAtStartMb: number;
}

/**
 * Keeps `connections` requests in flight against `url` for `seconds`, or until `maxRequests`
 * were sent; `request(i)` builds the i-th request. Samples the RSS of `pid` every 100 ms.
 */
export async function closedLoop(
	url: string,
	connections: number,
	seconds: number,
	request: (i: number) => { headers: Record<string, string>; body: string },
	pid?: number,
	maxRequests = Number.POSITIVE_INFINITY,
): Promise<LoadResult> {
	const { origin, pathname } = new URL(url);
	const pool = new Pool(origin, { connections, pipelining: 1 });
	const statuses: Record<number, number> = {};
	const latenciesMs: number[] = [];
	let next = 0;
	const rssAtStartMb = pid ? rssMb(pid) : Number.NaN;
	let peakRssMb = rssAtStartMb;
	const sampler = pid ? setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(pid))), 100) : undefined;
	const start = performance.now();
	const end = start + seconds * 1000;
	const worker = async () => {
		while (performance.now() < end && next < maxRequests) {
			const { headers, body } = request(next++);
			const t0 = performance.now();
			const answer = await pool.request({ method: 'POST', path: pathname, headers: { 'content-type': 'application/json', ...headers }, body });
			await answer.body.dump();
			latenciesMs.push(performance.now() - t0);
			statuses[answer.statusCode] = (statuses[answer.statusCode] ?? 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: connections }, worker));
	const elapsed = (performance.now() - start) / 1000;
	if (sampler) clearInterval(sampler);
	await pool.close();
	return { sent: latenciesMs.length, statuses, latenciesMs, seconds: elapsed, peakRssMb, rssAtStartMb };
}

export function machine() {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const os = require('node:os') as typeof import('node:os');
	return {
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model,
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		kernel: os.release(),
		node: process.version,
		loadAverage: os.loadavg(),
	};
}
