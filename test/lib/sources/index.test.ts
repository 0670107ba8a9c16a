import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePayload, SOURCE_DEFINITIONS, SOURCE_GROUPS, SOURCES, sourceDefinition, type Source } from '../../../lib/sources';
import type { INodeProperties } from 'n8n-workflow';
import { TestRunTrigger } from '../../../nodes/TestRunTrigger/TestRunTrigger.node';
import { sourcesTable } from '../../../scripts/sources-table';
import { fixtureJson } from '../../support/fixtures';

function normalized(source: Parameters<typeof normalizePayload>[0], payload: unknown) {
	const result = normalizePayload(source, payload);
	if (!result.ok) throw new Error(result.reason);
	return result.value;
}

describe('normalization', () => {
	it('Currents RUN_FINISH with failures', () => {
		expect(normalized('currents', fixtureJson('currents-run-finish.json'))).toEqual({
			event: 'RUN_FINISH',
			run: {
				id: 'f3a2b1c0d9e8f7a6',
				name: 'build-2026-11-24-1042',
				url: 'https://app.currents.dev/run/f3a2b1c0d9e8f7a6',
				status: 'failed',
				startedAt: null,
				endedAt: null,
				durationMs: null,
				app: null,
				git: {
					sha: '9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
					branch: 'feature/checkout',
					author: 'Ada Lovelace',
					message: 'Fix checkout button',
					remote: 'https://github.com/example/shop',
				},
				tags: ['nightly', 'checkout'],
				totals: { tests: 120, passed: 112, failed: 3, skipped: 3, pending: 2, flaky: 2, retries: 4 },
				failures: [],
			},
		});
	});

	it('Currents multi-group run: one item per group, named by group, each with its own status', () => {
		const [chromium, firefox] = (fixtureJson('currents-multigroup.json') as unknown[]).map((group) => normalized('currents', group));
		expect([chromium.run.name, chromium.run.status, chromium.run.id]).toEqual(['build-77 (chromium)', 'passed', 'aa11bb22cc33dd44']);
		expect([firefox.run.name, firefox.run.status, firefox.run.totals.failed]).toEqual(['build-77 (firefox)', 'failed', 2]);
		expect(firefox.run.git).toEqual({ sha: 'abc123', branch: 'main', author: null, message: null, remote: null });
	});

	it.each([
		['RUN_START', 'running'],
		['RUN_TIMEOUT', 'timedOut'],
		['RUN_CANCELED', 'canceled'],
	])('Currents %s maps to status %s', (event, status) => {
		const payload = { ...(fixtureJson('currents-run-finish.json') as object), event };
		expect(normalized('currents', payload).run.status).toBe(status);
	});

	it('Maestro upload with a FAILURE, an ERROR and a CANCELED flow', () => {
		expect(normalized('maestro', fixtureJson('maestro-upload.json'))).toEqual({
			event: 'RUN_FINISH',
			run: {
				id: 'mupload_123456',
				name: 'TestApp Release 1.2.3',
				url: 'https://app.maestro.dev/project/project-abc123/maestro-test/app/com.example.testapp/upload/upload-123456',
				status: 'failed',
				startedAt: '2022-08-01T00:00:00.000Z',
				endedAt: '2022-08-01T01:00:00.000Z',
				durationMs: 3_600_000,
				app: { id: 'com.example.testapp', name: null, platform: 'android' },
				git: { sha: null, branch: 'main', author: null, message: null, remote: null },
				tags: ['smoke'],
				totals: { tests: 4, passed: 1, failed: 2, skipped: 1, pending: 0, flaky: 0, retries: 0 },
				failures: [
					{ name: 'Checkout Flow Test', url: 'https://app.maestro.dev/flow/run-789013', reason: "Element with ID 'checkout_button' not found" },
					{ name: 'User Profile Flow', url: 'https://app.maestro.dev/flow/run-789014', reason: 'App crashed on launch' },
				],
			},
		});
	});

	it('Maestro upload with every flow passing, and one still running', () => {
		const upload = fixtureJson('maestro-upload.json') as { flows: Array<{ status: string }> };
		const passing = { ...upload, flows: upload.flows.map((flow) => ({ ...flow, status: 'SUCCESS' })) };
		expect(normalized('maestro', passing).run.status).toBe('passed');
		const running = { ...upload, flows: upload.flows.map((flow, i) => ({ ...flow, status: i === 0 ? 'RUNNING' : 'SUCCESS' })) };
		expect(normalized('maestro', running).run).toMatchObject({ status: 'running', totals: { pending: 1, passed: 3 } });
	});

	it('Autosana batch with a failed group', () => {
		expect(normalized('autosana', fixtureJson('autosana-batch.json'))).toEqual({
			event: 'RUN_FINISH',
			run: {
				id: null,
				name: 'My App',
				url: null,
				status: 'failed',
				startedAt: null,
				endedAt: '2025-01-31T12:34:56.789Z',
				durationMs: null,
				app: { id: 'com.example.myapp', name: 'My App', platform: 'android' },
				git: { sha: 'a1b2c3d4e5f6', branch: 'main', author: null, message: null, remote: null },
				tags: [],
				totals: { tests: 3, passed: 2, failed: 1, skipped: 0, pending: 0, flaky: 0, retries: 0 },
				failures: [{ name: 'Checkout Suite › User can pay with card', url: 'https://autosana.ai/runs/flow/5678', reason: null }],
			},
		});
	});

	describe('Autosana failed groups are never dropped', () => {
		type Group = { name: string | null; status: string; url: string | null; runs: Array<{ name: string | null; status: string; url: string | null }> };
		const batch = (groups: Group[], failedGroups = groups.filter((g) => g.status.toLowerCase() === 'failed').length) => ({
			...(fixtureJson('autosana-batch.json') as Record<string, unknown>),
			summary: { total_groups: groups.length, passed_groups: groups.length - failedGroups, failed_groups: failedGroups },
			run_groups: groups,
		});
		const group = (name: string | null, status: string, runs: Group['runs'] = []): Group => ({
			name,
			status,
			url: `https://autosana.ai/runs/groups/${name ?? 'unnamed'}`,
			runs,
		});

		it('a failed group listing no failed run is a failure under its own name and URL', () => {
			const run = normalized('autosana', batch([group('Setup Suite', 'failed', [{ name: 'boots', status: 'passed', url: null }])])).run;
			expect(run.status).toBe('failed');
			expect(run.failures).toEqual([{ name: 'Setup Suite', url: 'https://autosana.ai/runs/groups/Setup Suite', reason: null }]);
		});

		it('every failed group contributes, in order, whatever the case of its status', () => {
			const groups = [
				group('A', 'FAILED', [{ name: 'a1', status: 'Failed', url: 'https://autosana.ai/a1' }]),
				group('B', 'passed', [{ name: 'b1', status: 'passed', url: null }]),
				group('C', 'failed'),
			];
			expect(normalized('autosana', batch(groups)).run.failures).toEqual([
				{ name: 'A › a1', url: 'https://autosana.ai/a1', reason: null },
				{ name: 'C', url: 'https://autosana.ai/runs/groups/C', reason: null },
			]);
		});

		it('a failed run in a group without a name is named by the run alone', () => {
			const groups = [group(null, 'failed', [{ name: 'orphan', status: 'failed', url: null }])];
			expect(normalized('autosana', batch(groups)).run.failures).toEqual([{ name: 'orphan', url: null, reason: null }]);
		});

		it('the summary alone marks the run failed when no group is listed as failed', () => {
			const run = normalized('autosana', batch([group('A', 'passed')], 1)).run;
			expect(run.status).toBe('failed');
			expect(run.failures).toEqual([]);
		});

		it('a batch with every group passed is passed', () => {
			expect(normalized('autosana', batch([group('A', 'passed'), group('B', 'Passed')])).run.status).toBe('passed');
		});
	});

	it('Autosana without git metadata gives git null', () => {
		const { git: _git, ...withoutGit } = fixtureJson('autosana-batch.json') as Record<string, unknown>;
		expect(normalized('autosana', withoutGit).run.git).toBeNull();
	});

	it('Standard Webhooks: an already normalized item passes through', () => {
		const item = normalized('maestro', fixtureJson('maestro-upload.json'));
		expect(normalized('standardWebhooks', item)).toEqual(item);
	});

	it('names the field at fault when a payload does not fit', () => {
		expect(normalizePayload('maestro', { id: 'x', flows: [{ status: 3 }] })).toEqual({ ok: false, reason: 'flows.0.status: Expected string, received number' });
		expect(normalizePayload('currents', { event: 'RUN_EXPLODED' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^event: Invalid enum value/) });
	});

	it('Maestro epoch times beyond what a date holds (1e20, -1e20) are null, not a thrown RangeError', () => {
		expect(normalized('maestro', { id: 'x', startTime: 1e20, endTime: -1e20, flows: [] }).run).toMatchObject({
			startedAt: null,
			endedAt: null,
			durationMs: null,
		});
		expect(normalized('maestro', { id: 'x', startTime: 8.64e15, flows: [] }).run.startedAt).toBe('+275760-09-13T00:00:00.000Z');
	});
});

describe('the source registry, the trigger and the README', () => {
	const description = new TestRunTrigger().description;
	const property = (name: string) => description.properties.find((candidate) => candidate.name === name) as INodeProperties;

	describe('the source registry', () => {
		it('holds each source value once, and every value resolves to its own definition', () => {
			expect(new Set(SOURCES).size).toBe(SOURCES.length);
			for (const source of SOURCES) expect(sourceDefinition(source).value).toBe(source);
			expect(() => sourceDefinition('nope' as Source)).toThrow('Unknown source "nope"');
		});

		it('orders the definitions by group, in the editor group order', () => {
			const groupIndexes = SOURCE_DEFINITIONS.map((definition) => SOURCE_GROUPS.indexOf(definition.group));
			expect(groupIndexes).toEqual([...groupIndexes].sort((a, b) => a - b));
			expect(groupIndexes).not.toContain(-1);
		});

		it('says for every source what it proves, what it cannot, its delivery id and a one-line setup without markup for the editor', () => {
			for (const { docs } of SOURCE_DEFINITIONS) {
				for (const text of Object.values(docs)) expect(text.trim()).not.toBe('');
				expect(docs.setup).not.toMatch(/[`\n]/);
				expect(docs.cannotProve).not.toMatch(/[`\n]/);
			}
		});
	});

	describe('the trigger reads the registry', () => {
		it('offers every source, grouped, with the group and its proof in the description; the default stays currents', () => {
			const source = property('source');
			expect(source.default).toBe('currents');
			expect(source.options).toEqual(
				SOURCE_DEFINITIONS.map((definition) => ({
					name: definition.displayName,
					value: definition.value,
					description: `${definition.group} · ${definition.summary}`,
				})),
			);
		});

		it.each(SOURCES)('shows %s a notice of its own with the setup line and what it cannot prove', (value) => {
			const { displayName, docs } = sourceDefinition(value);
			const notice = property(`${value}Notice`);
			expect(notice.type).toBe('notice');
			expect(notice.displayOptions).toEqual({ show: { source: [value] } });
			expect(notice.displayName).toBe(`<b>${displayName}</b>: ${docs.setup} ${docs.cannotProve}`);
		});

		it("lists every source's setup line in the trigger panel", () => {
			const panel = description.triggerPanel as { executionsHelp: { inactive: string } };
			for (const { displayName, docs } of SOURCE_DEFINITIONS) expect(panel.executionsHelp.inactive).toContain(`${displayName}: ${docs.setup}`);
		});
	});

	describe('README', () => {
		it('holds the sources table as generated from the registry (npx tsx scripts/sources-table.ts)', () => {
			const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
			const table = sourcesTable();
			expect(table.split('\n')).toHaveLength(SOURCES.length + 2);
			expect(readme).toContain(table);
		});
	});
});
