import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OFFLINE_ENV } from './support/offline';

/**
 * `npm run release:dry-run` as RELEASING.md promises it, in a clean git repository made from this
 * working tree, with no remote and with the npm registry and any proxy pointing at a closed port:
 * it prints the tarball's file list and what release-it would do, and changes nothing.
 */
const ROOT = resolve(__dirname, '..', '..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let repo: string;
let run: ReturnType<typeof spawnSync>;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const output = () => `${run.stdout}${run.stderr}`;
let headBefore: string;

beforeAll(() => {
	repo = mkdtempSync(join(tmpdir(), 'release-dry-run-'));
	// Tracked files only, as a clone would have them, committed in a repository of its own.
	const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
	for (const file of tracked) cpSync(join(ROOT, file), join(repo, file), { recursive: true });
	symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(repo, 'node_modules'), 'dir');
	git('init', '-q', '-b', 'main');
	execFileSync('bash', ['-c', 'echo node_modules >> .git/info/exclude'], { cwd: repo });
	git('add', '-A');
	git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-qm', 'the working tree');
	headBefore = git('rev-parse', 'HEAD');
	run = spawnSync('npm', ['run', 'release:dry-run', '--', VERSION], {
		cwd: repo,
		encoding: 'utf8',
		env: { ...process.env, ...OFFLINE_ENV },
		timeout: 10 * 60_000,
	});
}, 11 * 60_000);

afterAll(() => rmSync(repo, { recursive: true, force: true }));

afterEach(() => {
	const state = expect.getState();
	if (state.assertionCalls !== state.numPassingAsserts) console.log(`release:dry-run output:\n${output().slice(-6000)}`);
});

describe('npm run release:dry-run, offline, without a remote', () => {
	it('exits with status 0', () => {
		expect(run.status).toBe(0);
	});

	it("prints the tarball's file list, the nodes and credentials n8n loads among them", () => {
		expect(output()).toContain(`n8n-nodes-test-run-webhooks@${VERSION}`);
		expect(output()).toMatch(/Tarball Contents/);
		for (const file of [
			'dist/nodes/TestRunTrigger/TestRunTrigger.node.js',
			'dist/credentials/WebhookIntegration.credentials.js',
			'package.json',
			'README.md',
			'LICENSE',
		]) {
			expect(output()).toMatch(new RegExp(`npm notice [\\d.]+k?B ${file.replaceAll('.', '\\.')}\\n`));
		}
	});

	it('shows the version, the changelog it would release, the commit and the tag, without making them', () => {
		expect(output()).toContain(`! npm version ${VERSION} --no-git-tag-version`);
		expect(output()).toContain('### Added');
		expect(output()).toContain(`! git commit --message Release ${VERSION}`);
		expect(output()).toContain(`! git tag --annotate --message Release ${VERSION} v${VERSION}`);
		expect(output()).toContain('! npm run check');
		expect(output()).not.toMatch(/npm publish/);
	});

	it('left the repository as it was: no commit, no tag, no changed file', () => {
		expect(git('rev-parse', 'HEAD')).toBe(headBefore);
		expect(git('tag')).toBe('');
		expect(git('status', '--porcelain', '--untracked-files=no')).toBe('');
	});
});
