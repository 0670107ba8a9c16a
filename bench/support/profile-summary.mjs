// Summarises a V8 .cpuprofile of the n8n process: where the main thread's time went, by
// origin (self time) and for a few functions of interest (inclusive time).
//   node bench/support/profile-summary.mjs <file.cpuprofile> [seconds]
// With `seconds`, only the last that many seconds before n8n's last webhook request count
// (the load phase, without n8n's start-up).
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const windowSeconds = Number(process.argv[3] ?? 0);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inStack = (node, test) => {
	for (let id = node.id; id !== undefined; id = parent.get(id)) if (test(byId.get(id).callFrame)) return true;
	return false;
};
// Sample times (µs since the profile started), and the window to count.
const times = [];
for (let i = 0, t = 0; i < profile.samples.length; i++) times.push((t += profile.timeDeltas[i] ?? 0));
let windowEnd = Number.POSITIVE_INFINITY;
if (windowSeconds) {
	for (let i = profile.samples.length - 1; i >= 0; i--) {
		if (inStack(byId.get(profile.samples[i]), (f) => f.functionName === 'executeWebhook')) {
			windowEnd = times[i];
			break;
		}
	}
}
const counted = (i) => !windowSeconds || (times[i] <= windowEnd && times[i] >= windowEnd - windowSeconds * 1e6);

const origin = (frame) => {
	const { url, functionName } = frame.callFrame;
	if (functionName === '(idle)') return 'idle';
	if (functionName === '(garbage collector)') return 'GC';
	if (functionName === '(program)') return 'V8/native (program)';
	const modules = url.split('node_modules/');
	if (modules.length > 1) {
		const last = modules.pop().split('/');
		const name = last[0].startsWith('@') ? `${last[0]}/${last[1]}` : last[0];
		if (name === 'n8n-nodes-test-run-webhooks') return 'this package';
		if (name === 'isolated-vm' || name === '@n8n/expression-runtime') return 'isolated-vm / expression sandbox';
		return name;
	}
	if (url.startsWith('node:')) return 'node core';
	return url ? 'other' : 'native';
};

const interest = [
	['CredentialsHelper.getDecrypted (per-request credential read)', (f) => f.functionName === 'getDecrypted'],
	['  of it: applyDefaultsAndOverwrites (mock Workflow + isolate)', (f) => f.functionName === 'applyDefaultsAndOverwrites'],
	['  of it: acquireIsolate', (f) => f.functionName === 'acquireIsolate'],
	['Test Run Trigger receiveWebhook', (f) => f.functionName === 'receiveWebhook' && f.url.includes('node_modules/n8n-nodes-test-run-webhooks/')],
	['Webhook node webhook()', (f) => f.functionName === 'webhook' && /nodes\/Webhook\//.test(f.url)],
	['WorkflowExecute (running executions)', (f) => f.functionName === 'processRunExecutionData'],
	['saving executions (ExecutionRepository)', (f) => /execution\.repository/.test(f.url)],
];

const self = new Map();
const inclusive = new Map(interest.map(([name]) => [name, 0]));
let total = 0;
let idle = 0;
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
	if (!counted(i)) continue;
	const ms = (dt[i + 1] ?? dt[i] ?? 0) / 1000;
	const node = byId.get(profile.samples[i]);
	const key = origin(node);
	if (key === 'idle') {
		idle += ms;
		continue;
	}
	total += ms;
	self.set(key, (self.get(key) ?? 0) + ms);
	const seen = new Set();
	for (let id = node.id; id !== undefined; id = parent.get(id)) {
		const frame = byId.get(id).callFrame;
		for (const [name, test] of interest) if (!seen.has(name) && test(frame)) seen.add(name);
	}
	for (const name of seen) inclusive.set(name, inclusive.get(name) + ms);
}
const pct = (ms) => `${((100 * ms) / total).toFixed(1)} %`;
console.log(`busy ${(total / 1000).toFixed(1)} s, idle ${(idle / 1000).toFixed(1)} s`);
console.log('\nself time by origin (share of busy time):');
for (const [key, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  ${pct(ms).padStart(7)}  ${key}`);
console.log('\ninclusive time:');
for (const [name, ms] of inclusive) console.log(`  ${pct(ms).padStart(7)}  ${name}`);
