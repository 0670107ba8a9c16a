import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../../tools/n8nServer';
import { acceptsConnections, processesInGroup } from './support/processes';

/**
 * `npm run demo` as the README promises it, run by the demo script itself with
 * DEMO_EXIT_AFTER_START=1 instead of Ctrl-C: n8n 2.x up with this package, the example
 * workflows published, the sample failed run delivered to the receiver, and every process it
 * started gone once it exits.
 */
const ROOT = resolve(__dirname, '..', '..');
const examples = readdirSync(join(ROOT, 'examples'))
	.filter((file) => file.endsWith('.json'))
	.map((file) => JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as { id: string; name: string });
let port: number;
let exitCode: number | null;
let output = '';
let demoGroup: number;

beforeAll(async () => {
	port = await freePort();
	// Its own process group, so whatever it leaves running can be found after it exits.
	const demo = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'scripts', 'demo.ts')], {
		cwd: ROOT,
		env: { ...process.env, DEMO_EXIT_AFTER_START: '1', DEMO_PORT: String(port) },
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	demoGroup = demo.pid!;
	demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	exitCode = await new Promise((done) => demo.once('exit', done));
}, 30 * 60_000);

afterEach(() => {
	const state = expect.getState();
	if (state.assertionCalls !== state.numPassingAsserts) console.log(`demo output:\n${output.slice(-6000)}`);
});

describe('npm run demo, with DEMO_EXIT_AFTER_START=1', () => {
	it('exits by itself with status 0', () => {
		expect(exitCode).toBe(0);
	});

	it('had n8n up with this package, the editor on the chosen port', () => {
		expect(output).toContain(`The editor is at http://127.0.0.1:${port}`);
		expect(output).toMatch(/The Currents stand-in now holds 1 webhook\(s\), registered by the trigger/);
	});

	it('published the example workflows with triggers and imported the manual one', () => {
		for (const { id, name } of examples) {
			const state = id.startsWith('demoListWebhooks') ? 'imported ' : 'published';
			expect(output).toContain(`${state}  ${name}`);
		}
	});

	it('delivered the sample failed run to the chat receiver and the Maestro failures as a ticket', () => {
		expect(output).toContain('n8n answered 200 {"received":true}');
		expect(output).toMatch(/receiver got POST \/chat \(Idempotency-Key [^)]+\)\n\{\n {2}"text": ":red_circle: [^"]* 3 of 120 failed"/);
		expect(output).toMatch(/receiver got POST \/tickets /);
		expect(output).toMatch(/a forged copy got 401/);
	});

	it('left no process running and no port open behind it', async () => {
		expect(processesInGroup(demoGroup)).toEqual([]);
		expect(await acceptsConnections(port)).toBe(false);
	});
});
