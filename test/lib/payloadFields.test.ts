/**
 * Issue 24 items 12 and 13, for every source: a genuine (correctly signed) delivery whose body
 * holds any JSON value in any field is answered 200, 400 or 401 — never a throw (n8n would
 * answer 500 and the platform retry forever) — its item holds only values in range, and every
 * 400 names the field at fault.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { parsePayload, sourceDefinition, SOURCES, type Source } from '../../lib/sources';
import { receiveDelivery, type ReceiveOutcome } from '../../lib/trigger/receive';
import { githubWorkflowRunBody } from '../support/github';
import { runPayload } from '../support/recipeRuns';
import { receiveOptions } from '../support/receiveOptions';
import { senderHeaders } from '../support/signing';
import { SIGNED_WEBHOOK_SETTINGS } from '../support/signedWebhook';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { node, NodeTypeRegistry } from '../support/engine';
import { TriggerHarness } from '../support/webhook';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const SECRETS: Record<Source, string> = {
	currents: 'currents-shared-secret-1',
	maestro: 'maestro-project-token-1',
	autosana: 'autosana-signing-secret-1',
	cypressCloud: 'cypress-cloud-secret-01',
	githubActions: "It's a Secret to Everybody",
	gitlab: 'gitlab-secret-token-0001',
	circleci: 'circleci-signing-secret-1',
	buildkite: 'buildkite-webhook-token-1',
	standardWebhooks: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
	signedWebhook: 'signed-webhook-secret',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8')) as Json;

/** A genuine body of each source (Standard Webhooks: both shapes it takes). */
const BASES: Array<[Source, Json]> = [
	['currents', fixture('currents-run-finish.json')],
	['maestro', fixture('maestro-upload.json')],
	['autosana', { ...(fixture('autosana-batch.json') as object), timestamp: new Date(NOW).toISOString() }],
	['cypressCloud', fixture('cypress-run-completed.json')],
	['githubActions', JSON.parse(githubWorkflowRunBody('failure')) as Json],
	['standardWebhooks', runPayload({ status: 'failed', failures: 3 }) as unknown as Json],
	['standardWebhooks', fixture('currents-run-finish.json')],
	['gitlab', fixture('gitlab-pipeline.json')],
	['circleci', { ...(fixture('circleci-workflow-completed.json') as object), happened_at: new Date(NOW).toISOString() }],
	['buildkite', fixture('buildkite-build-finished.json')],
	['signedWebhook', fixture('signed-webhook-run.json')],
];

it('covers every source', () => {
	expect(new Set(BASES.map(([source]) => source))).toEqual(new Set(SOURCES));
});

type Path = Array<string | number>;

/** Every path in a JSON value (the root excluded), objects and arrays included. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
	if (value === null || typeof value !== 'object') return [];
	const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((child, i) => [i, child]) : Object.entries(value);
	return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

const REMOVED = Symbol('removed');
/** JSON text that JSON.parse reads into values fast-check's JSON never holds, or that is large. */
const RAW = [
	'1e20', '-1e20', '1e400', '-1e400', '1e-400', '-0', '-1', '0.5', '9007199254740993', '1e308',
	'"1e20"', '"NaN"', '"Infinity"', '"-1"', '""', '" "', '"\\r\\n"', '"../../etc"', '"%0d%0a"', '"__proto__"', '"constructor"',
	'"2026-02-30T25:61:00Z"', '"+275760-09-13T00:00:00.001Z"', '"-271821-04-19T00:00:00Z"', '"9999-12-31T23:59:59.999999999Z"', '"0000-01-01T00:00:00Z"',
	'"2026-11-24T12:00:00+99:99"', `"${'9'.repeat(400)}"`, `"${'x'.repeat(200_000)}"`,
	`[${'1,'.repeat(50_000)}1]`, `[${'"a",'.repeat(50_000)}"a"]`, `${'['.repeat(5000)}${']'.repeat(5000)}`, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
];
const RAW_MARK = '\u0000raw:';
const replacement = fc.oneof(
	{ weight: 3, arbitrary: fc.constantFrom(...RAW).map((raw) => `${RAW_MARK}${raw}`) },
	{ weight: 3, arbitrary: fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as Json) },
	{ weight: 1, arbitrary: fc.constant(REMOVED) },
);

/** The body with the value at `path` replaced (or removed), as the text a sender would post. */
function mutated(base: Json, path: Path, value: Json | typeof REMOVED): string {
	const copy = structuredClone(base);
	let parent = copy as Record<string | number, Json>;
	for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
	const last = path[path.length - 1];
	if (value === REMOVED) {
		if (Array.isArray(parent)) parent.splice(last as number, 1);
		else delete parent[last];
	} else parent[last] = value;
	return JSON.stringify(copy).replace(/"\\u0000raw:((?:[^"\\]|\\.)*)"/, (_all, raw: string) => JSON.parse(`"${raw}"`) as string);
}

async function receive(source: Source, body: string): Promise<ReceiveOutcome> {
	return receiveDelivery(
		{ headers: senderHeaders(source, body, SECRETS[source], NOW), rawBody: Buffer.from(body) },
		receiveOptions(source, [SECRETS[source]], NOW, { sourceParameters: SIGNED_WEBHOOK_SETTINGS }),
	);
}

const isCount = (value: unknown) => value === null || (Number.isSafeInteger(value) && (value as number) >= 0);
const isTime = (value: unknown) => value === null || (typeof value === 'string' && new Date(value).toISOString() === value);
const isText = (value: unknown) => value === null || typeof value === 'string';

/** What an item holds, whatever the body held: every value of its type, in its range. */
function expectSaneItem(item: NonNullable<ReceiveOutcome['item']>): void {
	const { run } = item;
	for (const value of [run.id, run.name, run.url, ...Object.values(run.app ?? {}), ...Object.values(run.git ?? {})]) expect(isText(value)).toBe(true);
	expect(['running', 'passed', 'failed', 'timedOut', 'canceled']).toContain(run.status);
	expect(isTime(run.startedAt) && isTime(run.endedAt)).toBe(true);
	expect(isCount(run.durationMs)).toBe(true);
	for (const [name, count] of Object.entries(run.totals)) expect([name, isCount(count)]).toEqual([name, true]);
	expect(run.tags.every((tag) => typeof tag === 'string')).toBe(true);
	for (const failure of run.failures) expect(Object.values(failure).every(isText)).toBe(true);
	expect(() => JSON.stringify(item)).not.toThrow();
}

/** The field a schema 400 names: "Payload does not match the <source> schema: <path>: <message>". */
// A schema error names its path; a delivery id read from the body (CircleCI's id) names its field.
const namedPath = (error: string) => {
	const match = /schema: ([^:]*):|^body field (\S+) /.exec(error);
	return match?.[1] ?? match?.[2];
};

describe('any JSON value in any field of a genuine delivery', () => {
	it.each(BASES.map(([source, base], i) => [`${source}#${i}`, source, base] as const))(
		'%s: answered 200, 400 or 401, never a throw; a 400 names the field at fault (or one inside it); an item holds only values in range',
		async (_name, source, base) => {
			const paths = pathsOf(base);
			await fc.assert(
				fc.asyncProperty(fc.constantFrom(...paths), replacement, async (path, value) => {
					const body = mutated(base, path, value);
					const outcome = await receive(source, body);
					// A signed send time that is no longer one is refused as unverifiable; nothing else is.
					const signedTime = path.length === 1 && path[0] === sourceDefinition(source).signedBodyTimestamp?.field;
					expect(signedTime ? [200, 400, 401] : [200, 400]).toContain(outcome.status);
					if (outcome.item) expectSaneItem(outcome.item);
					// Without `run` a Standard Webhooks body is read as a Currents run event, whose own fields are then named.
					const shapeChanged = source === 'standardWebhooks' && path.length === 1 && path[0] === 'run' && value === REMOVED;
					if (outcome.status === 400 && !shapeChanged) {
						const error = String(outcome.body.error);
						expect(error.length).toBeLessThan(400);
						const named = namedPath(error)?.split('.');
						expect(named).toBeDefined();
						// The named field lies on the mutated path: the field itself, a parent, or a field inside the value put there.
						const common = Math.min(named!.length, path.length);
						expect(named!.slice(0, common)).toEqual(path.slice(0, common).map(String));
						expect(named).not.toEqual(['body']);
					}
				}),
				{ numRuns: 200 },
			);
		},
	);
});

const baseOf = (index: number) => BASES[index][1];
const [CURRENTS, MAESTRO, AUTOSANA, CYPRESS, GITHUB, ITEM, CURRENTS_SHAPED] = BASES.map((_base, i) => i);
const raw = (text: string) => `${RAW_MARK}${text}`;

describe('a 400 names the field at fault, at every depth (issue 24 item 13)', () => {
	const cases: Array<[string, number, Path, Json | typeof REMOVED, string]> = [
		['Standard Webhooks item without run.totals.flaky', ITEM, ['run', 'totals', 'flaky'], REMOVED, 'run.totals.flaky: Required'],
		['Standard Webhooks item with a text count', ITEM, ['run', 'totals', 'failed'], '3', 'run.totals.failed: Expected number, received string'],
		['Standard Webhooks item with a failure name that is a number', ITEM, ['run', 'failures', 2, 'name'], 5, 'run.failures.2.name: Expected string, received number'],
		['Standard Webhooks item with an unknown status', ITEM, ['run', 'status'], 'exploded', "run.status: Invalid enum value. Expected 'running' | 'passed' | 'failed' | 'timedOut' | 'canceled', received \"exploded\""],
		['Standard Webhooks item without event', ITEM, ['event'], REMOVED, 'event: Required'],
		['Standard Webhooks Currents event without overall', CURRENTS_SHAPED, ['overall'], REMOVED, 'overall: Required'],
		['Standard Webhooks Currents event with a commit sha that is a number', CURRENTS_SHAPED, ['commit', 'sha'], 5, 'commit.sha: Expected string, received number'],
		['Currents without passes', CURRENTS, ['passes'], REMOVED, 'passes: Required'],
		['Currents with passes beyond 2^53', CURRENTS, ['passes'], raw('1e20'), 'passes: Number must be less than or equal to 9007199254740991'],
		['Currents with a tag that is a number', CURRENTS, ['tags', 1], 7, 'tags.1: Expected string, received number'],
		['Maestro without id', MAESTRO, ['id'], REMOVED, 'id: Required'],
		['Maestro with startTime as text', MAESTRO, ['startTime'], '1e20', 'startTime: Expected number, received string'],
		['Maestro with a flow without status', MAESTRO, ['flows', 2, 'status'], REMOVED, 'flows.2.status: Required'],
		['Maestro with a flow tag that is an object', MAESTRO, ['flows', 1, 'tags', 0], { a: 1 }, 'flows.1.tags.0: Expected string, received object'],
		['Autosana without summary.failed_groups', AUTOSANA, ['summary', 'failed_groups'], REMOVED, 'summary.failed_groups: Required'],
		['Autosana with a run status that is a number', AUTOSANA, ['run_groups', 1, 'runs', 0, 'status'], 0, 'run_groups.1.runs.0.status: Expected string, received number'],
		['Cypress Cloud without status', CYPRESS, ['status'], REMOVED, 'status: Required'],
		['Cypress Cloud with a tag that is a number', CYPRESS, ['tags', 0], 1, 'tags.0: Expected string, received number'],
		['GitHub Actions without workflow_run', GITHUB, ['workflow_run'], REMOVED, 'workflow_run: Required'],
		['GitHub Actions with a commit author name that is a number', GITHUB, ['workflow_run', 'head_commit', 'author', 'name'], 1, 'workflow_run.head_commit.author.name: Expected string, received number'],
	];

	it.each(cases)('%s', async (_name, index, path, value, reason) => {
		const [source, base] = BASES[index];
		expect(await receive(source, mutated(base, path, value))).toEqual({ status: 400, body: { error: `Payload does not match the ${source} schema: ${reason}` } });
	});

	it("names the field in the union branch the body fits best, not the union (for a source whose schema is one)", () => {
		const schema = z.union([z.object({ kind: z.literal('a'), a: z.object({ b: z.object({ c: z.number() }) }) }), z.object({ kind: z.literal('b'), d: z.number() })]);
		const definition = { ...sourceDefinition('currents'), schema } as unknown as Parameters<typeof parsePayload>[0];
		expect(parsePayload(definition, { kind: 'a', a: { b: {} } })).toEqual({ ok: false, reason: 'a.b.c: Required' });
		expect(parsePayload(definition, { kind: 'b', d: 'x' })).toEqual({ ok: false, reason: 'd: Expected number, received string' });
		expect(parsePayload(definition, [])).toEqual({ ok: false, reason: 'body: Expected object, received array' });
	});

	it('quotes an unknown enum value cut short, not whole (zod repeats it)', async () => {
		const outcome = await receive('currents', mutated(baseOf(CURRENTS), ['event'], `RUN_${'X'.repeat(100_000)}\r\n`));
		expect(outcome.status).toBe(400);
		expect(outcome.body.error).toBe(
			`Payload does not match the currents schema: event: Invalid enum value. Expected 'RUN_START' | 'RUN_FINISH' | 'RUN_TIMEOUT' | 'RUN_CANCELED', received "RUN_${'X'.repeat(56)}"`,
		);
	});
});

describe('a value beyond its type\'s range is null in the item (issue 24 item 12)', () => {
	const itemOf = async (index: number, path: Path, value: Json) => {
		const [source, base] = BASES[index];
		const outcome = await receive(source, mutated(base, path, value));
		expect(outcome.status).toBe(200);
		return outcome.item!.run;
	};

	it.each([['1e20'], ['-1e20'], ['1e400'], ['-8640000000000001']])('Maestro startTime %s: startedAt and durationMs null', async (value) => {
		const run = await itemOf(MAESTRO, ['startTime'], raw(value));
		expect([run.startedAt, run.endedAt, run.durationMs]).toEqual([null, '2022-08-01T01:00:00.000Z', null]);
	});

	it('Maestro startTime at the earliest time a Date holds is kept', async () => {
		const run = await itemOf(MAESTRO, ['startTime'], raw('-8.64e15'));
		expect([run.startedAt, run.durationMs]).toEqual(['-271821-04-20T00:00:00.000Z', 8_640_000_000_000_000 + 1659315600000]);
	});

	it('Maestro ending before it starts: no duration, not a negative one', async () => {
		expect((await itemOf(MAESTRO, ['endTime'], 1659311999999)).durationMs).toBeNull();
	});

	it.each([['1e20'], ['-1'], ['0.5'], ['1e400'], ['9007199254740992']])('a Standard Webhooks item count or duration of %s is null', async (value) => {
		const run = await itemOf(ITEM, ['run', 'totals', 'failed'], raw(value));
		expect(run.totals.failed).toBeNull();
		expect((await itemOf(ITEM, ['run', 'durationMs'], raw(value))).durationMs).toBeNull();
	});

	it.each([['yesterday'], ['+275760-09-13T00:00:00.001Z'], ['2026-11-24T12:00:00+99:99'], ['']])('a Standard Webhooks item time of %j is null', async (value) => {
		expect((await itemOf(ITEM, ['run', 'startedAt'], value)).startedAt).toBeNull();
	});

	it.each([['runNumber', '1e20'], ['runNumber', '-0.5'], ['projectId', '1e400']])('a Cypress Cloud id %s of %s that a number cannot hold exactly is null', async (field, value) => {
		const run = await itemOf(CYPRESS, [field], raw(value));
		expect(field === 'runNumber' ? run.id : run.app!.id).toBeNull();
	});

	it('a GitHub Actions run id beyond 2^53 is null, not rounded digits', async () => {
		expect((await itemOf(GITHUB, ['workflow_run', 'id'], raw('30433642435000000001'))).id).toBeNull();
	});
});

describe('through the node in n8n-core: out-of-range values and schema errors', () => {
	const harnessFor = (source: Source) =>
		new TriggerHarness(
			new NodeTypeRegistry({ testRunTrigger: new TestRunTrigger() }),
			node('testRunTrigger', { source, registration: 'manual' } as never, {
				name: 'Test Run Trigger',
				webhookId: `ranges-${source}`,
				credentials: { testRunWebhookSecret: { id: '2', name: 'Secret' } },
			}),
			{ testRunWebhookSecret: { secret: SECRETS[source], previousSecret: '' } },
		);
	const deliver = (harness: TriggerHarness, source: Source, body: string) => harness.deliver(senderHeaders(source, body, SECRETS[source], Date.now()), body);

	it('Maestro startTime 1e20 starts one execution whose item has startedAt and durationMs null, never a 500', async () => {
		const harness = harnessFor('maestro');
		const answer = await deliver(harness, 'maestro', mutated(baseOf(MAESTRO), ['startTime'], raw('1e20')));
		expect(answer.status).toBe(200);
		expect(harness.executions).toHaveLength(1);
		expect(harness.lastItem()).toMatchObject({ run: { startedAt: null, durationMs: null, endedAt: '2022-08-01T01:00:00.000Z' } });
	});

	it('a Standard Webhooks item without run.totals.flaky is answered 400 naming the field, and starts nothing', async () => {
		const harness = harnessFor('standardWebhooks');
		const answer = await deliver(harness, 'standardWebhooks', mutated(baseOf(ITEM), ['run', 'totals', 'flaky'], REMOVED));
		expect(answer).toEqual({ status: 400, body: { error: 'Payload does not match the standardWebhooks schema: run.totals.flaky: Required' } });
		expect(harness.executions).toHaveLength(0);
	});

	it('a Standard Webhooks item with counts and a duration out of range starts one execution with them null', async () => {
		const harness = harnessFor('standardWebhooks');
		const body = mutated(mutatedJson(baseOf(ITEM), ['run', 'durationMs'], -754000), ['run', 'totals', 'tests'], raw('1e400'));
		expect((await deliver(harness, 'standardWebhooks', body)).status).toBe(200);
		expect(harness.lastItem()).toMatchObject({ run: { durationMs: null, totals: { tests: null, failed: 3 } } });
	});
});

/** The body with one value replaced, still as JSON (to replace another after it). */
const mutatedJson = (base: Json, path: Path, value: Json) => JSON.parse(mutated(base, path, value)) as Json;
