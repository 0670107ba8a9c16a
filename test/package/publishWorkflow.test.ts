import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * .github/workflows/publish.yml as n8n's rules for community packages need it: published from
 * GitHub Actions on a version tag, with an npm provenance statement (OIDC), only after the
 * checks passed, and the tarball those checks looked at. actionlint checks its syntax
 * (`npm run lint`); this checks what it does.
 */
const ROOT = resolve(__dirname, '..', '..');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	if?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
	'continue-on-error'?: unknown;
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, { 'runs-on': string; permissions?: Record<string, string>; steps: Step[] }>;
}

const PACKAGE_SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'publish.yml'), 'utf8')) as Workflow;
const [jobName, job] = Object.entries(workflow.jobs)[0];
const steps = job.steps;

/** The index of the one step whose command line matches, failing the test if none or several do. */
function stepRunning(command: RegExp): number {
	const found = steps.flatMap((step, index) => (step.run !== undefined && command.test(step.run) ? [index] : []));
	if (found.length !== 1) throw new Error(`expected exactly one step running ${command}, found ${found.length}`);
	return found[0];
}

describe('.github/workflows/publish.yml', () => {
	it('runs only when a version tag (v*) is pushed', () => {
		expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
	});

	it('is one job on a fresh GitHub-hosted runner', () => {
		expect(Object.keys(workflow.jobs)).toEqual([jobName]);
		expect(job['runs-on']).toBe('ubuntu-latest');
	});

	it('grants id-token: write to the publishing job only, and reading the repository', () => {
		expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(workflow.permissions).toEqual({ contents: 'read' });
	});

	it("installs from the lockfile, then runs the full check (n8n's package scan included), before it packs and publishes", () => {
		const install = stepRunning(/^npm ci$/m);
		const check = stepRunning(/^npm run check$/m);
		const pack = stepRunning(/\bnpm pack\b/);
		const publish = stepRunning(/\bnpm publish\b/);
		expect(install).toBeLessThan(check);
		expect(check).toBeLessThan(pack);
		expect(pack).toBeLessThan(publish);
		expect(PACKAGE_SCRIPTS.check.split(' && ')).toContain('node scripts/scan-package.mjs');
	});

	it('never skips or tolerates a failed check: no step before the publish has a condition or continue-on-error', () => {
		const publish = stepRunning(/\bnpm publish\b/);
		const lenient = steps.slice(0, publish + 1).filter((step) => step.if !== undefined || step['continue-on-error'] !== undefined);
		expect(lenient).toEqual([]);
	});

	it('runs the Redis unit tests rather than skipping them', () => {
		expect(steps[stepRunning(/^npm run check$/m)].env).toEqual({ REQUIRE_REDIS_SERVER: '1' });
		expect(stepRunning(/scripts\/ensure-redis\.sh/)).toBeLessThan(stepRunning(/^npm run check$/m));
	});

	it('refuses a tag that is not the version in package.json', () => {
		const guard = steps[stepRunning(/require\('\.\/package\.json'\)\.version/)];
		expect(guard.run).toContain('"$GITHUB_REF_NAME" != "$version"');
		expect(guard.run).toMatch(/exit 1/);
		expect(stepRunning(/require\('\.\/package\.json'\)\.version/)).toBeLessThan(stepRunning(/\bnpm publish\b/));
	});

	it('publishes the packed tarball publicly with provenance, through the npm registry', () => {
		const publishStep = steps[stepRunning(/\bnpm publish\b/)];
		expect(publishStep.run).toBe('npm publish "$TARBALL" --provenance --access public');
		expect(publishStep.env?.TARBALL).toBe('${{ steps.pack.outputs.tarball }}');
		const packStep = steps[stepRunning(/\bnpm pack\b/)];
		expect(packStep.run).toMatch(/echo "tarball=.*" >> "\$GITHUB_OUTPUT"/);
		const publishingNode = steps.filter((step) => step.uses?.startsWith('actions/setup-node@')).pop();
		expect(publishingNode?.with?.['registry-url']).toBe('https://registry.npmjs.org');
	});

	it('publishes with npm 11.5.1 or later on Node 22.14 or later (what trusted publishing needs)', () => {
		const publish = stepRunning(/\bnpm publish\b/);
		const publishingNode = steps
			.slice(0, publish)
			.filter((step) => step.uses?.startsWith('actions/setup-node@'))
			.pop();
		expect(Number(publishingNode?.with?.['node-version'])).toBeGreaterThanOrEqual(24);
		expect(steps[stepRunning(/npm install -g npm@/)].run).toBe('npm install -g npm@^11.5.1');
		expect(stepRunning(/npm install -g npm@/)).toBeLessThan(publish);
	});

	it('falls back to the NPM_TOKEN secret only through NODE_AUTH_TOKEN of the publish step', () => {
		const withToken = steps.filter((step) => JSON.stringify(step).includes('secrets.'));
		expect(withToken).toEqual([steps[stepRunning(/\bnpm publish\b/)]]);
		expect(withToken[0].env?.NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
	});
});
