// Deduplication memory under 200k distinct deliveries (all inside the window, so the memory
// fills to its bound of 100k and must evict on every delivery after that): time per delivery
// for the first 10k and the last 10k, and their ratio. The peer, in the same process, is the
// structure it replaced (one Map, evicting by a linear scan when full); it runs 110k
// deliveries, enough for 10k past its bound (200k would take minutes).
//   npm run bench:deduplication
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { InProcessDeliveryMemory } = require('../dist/lib/trigger');
const { receiveDelivery } = require('../dist/lib/trigger');

const WINDOW_MS = 600_000;
const SLICE = 10_000;
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

/** The replaced structure: one Map of key → expiry, swept by a full scan when full. */
class LinearScanDeliveryMemory {
	expiries = new Map();
	constructor(maxEntries = 100_000) {
		this.maxEntries = maxEntries;
	}
	async firstSeen(key, windowMs, nowMs) {
		const expiry = this.expiries.get(key);
		if (expiry !== undefined && expiry > nowMs) return false;
		this.expiries.delete(key);
		if (this.expiries.size >= this.maxEntries) {
			for (const [k, e] of this.expiries) if (e <= nowMs) this.expiries.delete(k);
			while (this.expiries.size >= this.maxEntries) this.expiries.delete(this.expiries.keys().next().value);
		}
		this.expiries.set(key, nowMs + windowMs);
		return true;
	}
}

/** Runs `count` distinct deliveries one by one; returns µs per delivery of the first and last slice. */
async function measure(deliver, count) {
	const timeSlice = async (from) => {
		const start = performance.now();
		for (let i = from; i < from + SLICE; i++) await deliver(i);
		return ((performance.now() - start) * 1000) / SLICE;
	};
	const first = await timeSlice(0);
	for (let i = SLICE; i < count - SLICE; i++) await deliver(i);
	const last = await timeSlice(count - SLICE);
	return { first, last, ratio: last / first };
}

function memoryOnly(memory) {
	return (i) => memory.firstSeen(`wf:node:webhook:delivery-${i}`, WINDOW_MS, T0 + i);
}

/** The whole receive pipeline for a Maestro delivery (bearer check, JSON, schema, dedup). */
function pipeline(memory) {
	const token = 'maestro-project-token-0001';
	const options = {
		source: 'maestro',
		events: ['RUN_FINISH'],
		secrets: [token],
		secretHeaderName: '',
		timestampToleranceSeconds: 300,
		deduplicationWindowSeconds: WINDOW_MS / 1000,
		includeRawPayload: false,
		memoryScope: 'wf:node:webhook',
		memory,
	};
	const headers = { authorization: `Bearer ${token}` };
	return (i) => {
		const body = Buffer.from(JSON.stringify({ id: `upload-${i}`, name: 'nightly', flows: [{ id: 'f', name: 'Login', status: 'SUCCESS' }] }));
		return receiveDelivery({ headers, rawBody: body }, { ...options, nowMs: T0 + i });
	};
}

const rows = [
	['InProcessDeliveryMemory (ours)', 'memory only', await measure(memoryOnly(new InProcessDeliveryMemory()), 200_000), 200_000],
	['InProcessDeliveryMemory (ours)', 'receive pipeline', await measure(pipeline(new InProcessDeliveryMemory()), 200_000), 200_000],
	['linear-scan Map (replaced)', 'memory only', await measure(memoryOnly(new LinearScanDeliveryMemory()), 110_000), 110_000],
];

console.log(`node ${process.version}; window ${WINDOW_MS / 1000} s, bound 100k entries, µs per delivery\n`);
console.log('| structure | measured | deliveries | first 10k | last 10k | last / first |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const [name, what, { first, last, ratio }, count] of rows) {
	console.log(`| ${name} | ${what} | ${count / 1000}k | ${first.toFixed(2)} | ${last.toFixed(2)} | ${ratio.toFixed(2)} |`);
}
