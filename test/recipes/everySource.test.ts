/**
 * Issue 23 item 4: every recipe renders a sensible message, within its target's limits, for an
 * item from every source — counted or not, failures listed or not, links or not. Items of the
 * shipped sources come from their example payloads through the real normalizers; the CI
 * sources being added in parallel (GitLab, CircleCI, Buildkite, signedWebhook) are built from
 * the SPEC's item shape.
 */
import { normalizePayload, type Source } from '../../lib/sources';
import { githubWorkflowRunBody } from '../support/github';
import { deliverItem } from '../support/recipes';
import { runPayload, uncountedRun } from '../support/recipeRuns';
import { pagerDuty, TARGETS } from '../support/targets';
import { fixtureJson } from '../support/fixtures';

// The rendered bodies are arbitrary JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Item = ReturnType<typeof uncountedRun> | (Record<string, unknown> & { run: Json });

function itemOf(source: Source, payload: unknown): Item {
	const normalized = normalizePayload(source, payload);
	if (!normalized.ok) throw new Error(`${source}: ${normalized.reason}`);
	return { ...normalized.value, source, deliveryId: `${source}:1`, receivedAt: '2026-11-30T19:12:35.000Z' };
}

const ITEMS: Array<[string, Item]> = [
	['currents (counts, no failure list)', itemOf('currents', fixtureJson('currents-run-finish.json'))],
	['maestro (counts and failures)', itemOf('maestro', fixtureJson('maestro-upload.json'))],
	['autosana (counts and failures)', itemOf('autosana', fixtureJson('autosana-batch.json'))],
	['cypressCloud (counts, timed out)', itemOf('cypressCloud', fixtureJson('cypress-run-completed.json'))],
	['githubActions (no counts, no failure list)', itemOf('githubActions', JSON.parse(githubWorkflowRunBody('failure')))],
	['githubActions timed out', itemOf('githubActions', JSON.parse(githubWorkflowRunBody('timed_out')))],
	['standardWebhooks (a forwarded item)', itemOf('standardWebhooks', runPayload({ status: 'failed', failures: 3 }))],
	['gitlab (no counts, failed jobs listed)', uncountedRun({ source: 'gitlab', status: 'failed', failedJobs: 2 })],
	['gitlab timed out (no counts, 30 failed jobs)', uncountedRun({ source: 'gitlab', status: 'timedOut', failedJobs: 30 })],
	['circleci (no counts, no failure list)', uncountedRun({ source: 'circleci', status: 'failed' })],
	['buildkite (no counts, no failure list)', uncountedRun({ source: 'buildkite', status: 'failed' })],
	['signedWebhook (nothing but a status)', uncountedRun({ source: 'signedWebhook', status: 'failed', bare: true })],
];

const passedCopy = (item: Item): Item => ({ ...item, event: 'RUN_FINISH', run: { ...item.run, status: 'passed', failures: [] } });

/** Every text a reader sees: the string values of the body, at any depth. */
function textsOf(value: Json): string[] {
	if (typeof value === 'string') return [value];
	if (value === null || typeof value !== 'object') return [];
	return Object.values(value).flatMap(textsOf);
}

describe.each(TARGETS.map((target) => [target.recipe, target] as const))('recipe %s', (_name, target) => {
	it.each([...ITEMS, ...ITEMS.map(([name, item]): [string, Item] => [`${name}, passed`, passedCopy(item)])])(
		'renders %s within the limits: no null, no count it lacks, its link and its failures',
		(_label, item) => {
			const delivery = deliverItem(target, item);
			const body = JSON.parse(delivery.body);
			expect(target.check(body, delivery)).toEqual([]);
			const texts = textsOf(body);
			for (const text of texts) expect(text).not.toMatch(/\bnull\b|\bundefined\b|\bNaN\b/);
			const { totals, failures, url } = item.run;
			if (totals.tests === null) for (const text of texts) expect(text).not.toMatch(/tests? failed|\bof\b \d|Passed:|Skipped/);
			if (item.run.status === 'passed' && target === pagerDuty) return expect(body.event_action).toBe('resolve');
			if (url !== null) expect(delivery.body).toContain(url);
			if (item.run.status !== 'passed') {
				const { names, more } = target.listing(body);
				expect(names.length + more).toBe(failures.length);
				names.forEach((name, i) => expect(name).toBe(failures[i].name));
			}
		},
	);
});
