import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, installN8n, OWNER } from '../../tools/n8nServer';
import { N8N_2 } from '../../tools/n8nVersions';
import { until } from '../../tools/until';
import { OFFLINE_ENV } from './support/offline';
import { acceptsConnections, processesInGroup } from './support/processes';

/**
 * `npm run dev` as a contributor uses it, on a copy of this working tree: n8n comes up serving
 * the tree, a saved change to a node's description is what n8n serves after the rebuild, a build
 * with a type error leaves n8n serving the last good one, and Ctrl-C stops everything. The npm
 * registry and any proxy point at a closed port: once n8n is cached, the loop needs no network.
 */
const ROOT = resolve(__dirname, '..', '..');
const TRIGGER_SOURCE = join('nodes', 'TestRunTrigger', 'TestRunTrigger.node.ts');
const ORIGINAL_DESCRIPTION = 'Starts the workflow when a test platform reports a run event, after verifying it is genuine';
const CHANGED_DESCRIPTION = 'Changed while npm run dev was running';

let tree: string;
let port: number;
let dev: ChildProcess;
let output = '';
let exitCode: number | null | undefined;

const occurrences = (text: string) => output.split(text).length - 1;
const SERVING = 'serves this working tree at';

/** The Test Run Trigger's description in the node types n8n serves its editor. */
async function servedTriggerDescription(): Promise<string | undefined> {
	const base = `http://127.0.0.1:${port}`;
	const login = await fetch(`${base}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	await login.text();
	const cookie = login.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	const types = (await (await fetch(`${base}/types/nodes.json`, { headers: { cookie } })).json()) as Array<{ name: string; description: string }>;
	return types.find((type) => type.name === 'n8n-nodes-test-run-webhooks.testRunTrigger')?.description;
}

function editTrigger(edit: (source: string) => string): void {
	const file = join(tree, TRIGGER_SOURCE);
	writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

beforeAll(async () => {
	// The cache is filled (with the network) before the loop runs without it.
	installN8n(N8N_2);
	tree = mkdtempSync(join(tmpdir(), 'dev-tree-'));
	const skipped = new Set(['node_modules', '.git', 'dist', '.cache', '.stryker-tmp', 'reports', 'coverage']);
	cpSync(ROOT, tree, { recursive: true, filter: (source) => source === ROOT || !skipped.has(source.slice(ROOT.length + 1).split('/')[0]) });
	symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(tree, 'node_modules'), 'dir');
	port = await freePort();
	dev = spawn(process.execPath, ['--import', 'tsx', join('scripts', 'dev.ts')], {
		cwd: tree,
		env: { ...process.env, DEV_PORT: String(port), ...OFFLINE_ENV },
		// Its own process group, as a terminal gives it: Ctrl-C reaches the whole group.
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	dev.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	dev.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	dev.once('exit', (code) => (exitCode = code));
	await until('npm run dev to serve the working tree', () => occurrences(SERVING) === 1 || exitCode !== undefined, 10 * 60_000, 500);
}, 15 * 60_000);

afterAll(async () => {
	if (exitCode === undefined && dev.pid) process.kill(-dev.pid, 'SIGKILL');
	// The n8n user folder `npm run dev` kept for this copy, named in its output.
	const userFolder = /n8n's log: (\S+)\/n8n\.log/.exec(output)?.[1];
	if (userFolder?.includes('/dev/')) rmSync(userFolder, { recursive: true, force: true });
	rmSync(tree, { recursive: true, force: true });
}, 60_000);

afterEach(() => {
	const state = expect.getState();
	if (state.assertionCalls !== state.numPassingAsserts) console.log(`npm run dev output:\n${output.slice(-6000)}`);
});

describe('npm run dev', () => {
	it('builds, starts n8n with the working tree and prints the editor address and login', async () => {
		expect(output).toContain(`n8n ${N8N_2} ${SERVING} http://127.0.0.1:${port}  (log in as ${OWNER.email} / ${OWNER.password})`);
		expect(await servedTriggerDescription()).toBe(ORIGINAL_DESCRIPTION);
	});

	it(
		"serves a node's changed description after the rebuild it triggers",
		async () => {
			editTrigger((source) => source.replace(ORIGINAL_DESCRIPTION, CHANGED_DESCRIPTION));
			await until('n8n to restart with the rebuilt trigger', () => occurrences(SERVING) === 2, 5 * 60_000, 500);
			expect(output).toContain('Build finished: restarting n8n…');
			expect(await servedTriggerDescription()).toBe(CHANGED_DESCRIPTION);
		},
		6 * 60_000,
	);

	it(
		'keeps n8n serving the last good build when a build has type errors',
		async () => {
			editTrigger((source) => `${source}\nconst notANumber: number = 'a string';\n`);
			await until('tsc to report the error', () => output.includes('The build has errors: n8n keeps serving the last build without errors.'), 3 * 60_000, 500);
			expect(output).toMatch(/error TS2322: Type 'string' is not assignable to type 'number'/);
			expect(occurrences('Build finished: restarting n8n…')).toBe(1);
			expect(await servedTriggerDescription()).toBe(CHANGED_DESCRIPTION);
		},
		4 * 60_000,
	);

	it(
		'stops tsc and n8n on Ctrl-C, exits with status 0 and leaves no process or port behind',
		async () => {
			const group = dev.pid!;
			process.kill(-group, 'SIGINT');
			await until('npm run dev to exit', () => exitCode !== undefined, 90_000, 200);
			expect(output).toContain('Stopping n8n and tsc…');
			expect(exitCode).toBe(0);
			expect(processesInGroup(group)).toEqual([]);
			expect(await acceptsConnections(port)).toBe(false);
			expect(output).not.toContain('n8n did not start');
		},
		2 * 60_000,
	);
});
