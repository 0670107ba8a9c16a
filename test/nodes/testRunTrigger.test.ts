import { createHmac } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import type { Source } from '../../lib/sources';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { SECRET_FRESHNESS_SECONDS } from '../../lib/trigger';
import { buildWorkflow, node } from '../support/engine';
import { fixtureText } from '../support/fixtures';
import { githubWorkflowRunBody } from '../support/github';
import { forgedHeaders, newStandardSecret, senderHeaders } from '../support/signing';
import { SIGNED_WEBHOOK_SETTINGS } from '../support/signedWebhook';
import { secretTriggerHarness, TRIGGER_NODE_TYPES as nodeTypes } from '../support/triggerHarness';
import type { TriggerHarness } from '../support/webhook';
import fc from 'fast-check';
import { SOURCES as REGISTERED_SOURCES } from '../../lib/sources';
import { hostileBody, hostileHeaders } from '../support/arbitraries';
import { fixtureJson } from '../support/fixtures';
import { propertyRuns } from '../support/propertyRuns';
import { runPayload } from '../support/recipeRuns';

/** Secrets of at least 16 bytes: shorter ones are refused (see the secret tests). */
const SECRET = 'currents-shared-secret';
const TOKEN = 'maestro-project-token';

interface SourceCase {
	source: Source;
	secret: () => string;
	body: (nowMs: number) => string;
	/** Whether the platform signs the body (so a changed byte is caught). */
	signsBody: boolean;
	/** How a stale or future delivery is made, where the platform sends a time at all. */
	shiftTime?: (body: string, headers: Record<string, string>, secret: string, atMs: number) => { body: string; headers: Record<string, string> };
	brokenSchema: string;
	brokenReason: RegExp;
}

const currentsBody = () => fixtureText('currents-run-finish.json');
const autosanaBody = (nowMs: number) => fixtureText('autosana-batch.json').replace('2025-01-31T12:34:56.789Z', new Date(nowMs).toISOString());
const circleciBody = (nowMs: number) => fixtureText('circleci-workflow-completed.json').replace('2026-10-20T09:44:12.318Z', new Date(nowMs).toISOString());

const SOURCES: SourceCase[] = [
	{
		source: 'currents',
		secret: () => 'currents-shared-secret',
		body: currentsBody,
		signsBody: false,
		shiftTime: (body, headers, _secret, atMs) => ({ body, headers: { ...headers, 'x-timestamp': String(atMs) } }),
		brokenSchema: JSON.stringify({ ...JSON.parse(currentsBody()), failures: 'three' }),
		brokenReason: /failures: Expected number, received string/,
	},
	{
		source: 'maestro',
		secret: () => 'maestro-project-token',
		body: () => fixtureText('maestro-upload.json'),
		signsBody: false,
		brokenSchema: JSON.stringify({ id: 'mupload_1', flows: 'none' }),
		brokenReason: /flows: Expected array, received string/,
	},
	{
		source: 'autosana',
		secret: () => 'autosana-signing-secret',
		body: autosanaBody,
		signsBody: true,
		shiftTime: (_body, _headers, secret, atMs) => {
			const body = autosanaBody(atMs);
			return { body, headers: senderHeaders('autosana', body, secret, atMs) };
		},
		brokenSchema: JSON.stringify({ event: 'batch.completed', timestamp: new Date().toISOString(), app: {}, summary: {} }),
		brokenReason: /summary\.total_groups: Required/,
	},
	{
		source: 'cypressCloud',
		secret: () => 'cypress-cloud-secret',
		body: () => fixtureText('cypress-run-completed.json').replace('"timedOut"', '"failed"'),
		signsBody: true,
		shiftTime: (body, headers, secret, atMs) => ({ body, headers: senderHeaders('cypressCloud', body, secret, atMs, headers['x-cypress-event-id']) }),
		brokenSchema: JSON.stringify({ runNumber: 1, status: 7 }),
		brokenReason: /status: Expected string, received number/,
	},
	{
		source: 'githubActions',
		secret: () => 'github-webhook-secret',
		body: () => githubWorkflowRunBody('failure'),
		signsBody: true,
		brokenSchema: JSON.stringify({ action: 'completed' }),
		brokenReason: /workflow_run: Required/,
	},
	{
		source: 'circleci',
		secret: () => 'circleci-signing-secret',
		body: circleciBody,
		signsBody: true,
		shiftTime: (_body, _headers, secret, atMs) => {
			const body = circleciBody(atMs);
			return { body, headers: senderHeaders('circleci', body, secret, atMs) };
		},
		brokenSchema: JSON.stringify({ id: 'evt-1', type: 'workflow-completed', happened_at: new Date().toISOString() }),
		brokenReason: /workflow: Required/,
	},
	{
		source: 'buildkite',
		secret: () => 'buildkite-webhook-token',
		body: () => fixtureText('buildkite-build-finished.json'),
		signsBody: true,
		shiftTime: (body, _headers, secret, atMs) => ({ body, headers: senderHeaders('buildkite', body, secret, atMs) }),
		brokenSchema: JSON.stringify({ event: 'build.finished', pipeline: null }),
		brokenReason: /build: Required/,
	},
	{
		source: 'standardWebhooks',
		secret: newStandardSecret,
		body: currentsBody,
		signsBody: true,
		shiftTime: (body, _headers, secret, atMs) => ({ body, headers: senderHeaders('standardWebhooks', body, secret, atMs) }),
		brokenSchema: JSON.stringify({ event: 'RUN_FINISH', run: { id: 1 } }),
		brokenReason: /Payload does not match the standardWebhooks schema/,
	},
	{
		// The plain secret token here; the whsec_ signing token: test/nodes/gitlabTrigger.test.ts.
		source: 'gitlab',
		secret: () => 'gitlab-secret-token',
		// A job that failed by its script: RUN_FINISH failed (the fixture's timeout is RUN_TIMEOUT).
		body: () => fixtureText('gitlab-pipeline.json').replace('job_execution_timeout', 'script_failure'),
		signsBody: false,
		brokenSchema: JSON.stringify({ object_kind: 'pipeline', object_attributes: { status: 7 } }),
		brokenReason: /object_attributes\.status: Expected string, received number/,
	},
	{
		source: 'signedWebhook',
		secret: () => 'signed-webhook-secret',
		body: () => fixtureText('signed-webhook-run.json'),
		signsBody: true,
		shiftTime: (body, _headers, secret, atMs) => ({ body, headers: senderHeaders('signedWebhook', body, secret, atMs) }),
		brokenSchema: '["test_run.finished"]',
		brokenReason: /signedWebhook schema: body: Expected object, received array/,
	},
];

const harnessFor = (source: Source, secret: string, extra: IDataObject = {}, previousSecret = '') =>
	secretTriggerHarness(
		{ source, registration: 'manual', ...(source === 'signedWebhook' ? SIGNED_WEBHOOK_SETTINGS : {}), ...extra },
		{ secret, previousSecret },
	);

/** Changes the first digit of the body: still valid JSON, one byte different. */
function changeOneByte(body: string): string {
	const index = body.search(/[0-8]/);
	return body.slice(0, index) + String(Number(body[index]) + 1) + body.slice(index + 1);
}

describe.each(SOURCES)('Test Run Trigger, source $source', (c) => {
	const accepted = { received: true };

	it('accepts a genuine delivery: 200 and one execution with one normalized item', async () => {
		const secret = c.secret();
		const harness = harnessFor(c.source, secret);
		const body = c.body(Date.now());
		const answer = await harness.deliver(senderHeaders(c.source, body, secret, Date.now()), body);
		expect(answer).toEqual({ status: 200, body: accepted });
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0].status).toBe('success');
		const item = harness.lastItem()!;
		expect(item).toMatchObject({ event: 'RUN_FINISH', source: c.source, run: { status: 'failed' }, raw: JSON.parse(body) });
		expect(typeof item.deliveryId).toBe('string');
		expect(new Date(item.receivedAt as string).toISOString()).toBe(item.receivedAt);
	});

	it('refuses a wrong secret with 401 and starts nothing', async () => {
		const harness = harnessFor(c.source, c.secret());
		const body = c.body(Date.now());
		const wrongSecret = c.source === 'standardWebhooks' ? newStandardSecret() : `${c.secret()}-wrong`;
		const answer = await harness.deliver(senderHeaders(c.source, body, wrongSecret, Date.now()), body);
		expect(answer.status).toBe(401);
		expect((answer.body as { error: string }).error).toMatch(/^Unauthorized: (wrong|signature|no signature)/);
		expect(harness.executions).toHaveLength(0);
	});

	it('refuses a delivery without its proof header with 401 naming the header', async () => {
		const secret = c.secret();
		const harness = harnessFor(c.source, secret);
		const body = c.body(Date.now());
		const headers = senderHeaders(c.source, body, secret, Date.now());
		const proof = {
			currents: 'x-webhook-secret',
			cypressCloud: 'x-cypress-signature',
			maestro: 'authorization',
			autosana: 'X-Autosana-Signature-256',
			githubActions: 'x-hub-signature-256',
			gitlab: 'x-gitlab-token',
			circleci: 'circleci-signature',
			buildkite: 'x-buildkite-signature',
			standardWebhooks: 'webhook-signature',
			signedWebhook: 'X-Signature',
		}[c.source];
		delete headers[proof];
		const answer = await harness.deliver(headers, body);
		expect(answer.status).toBe(401);
		expect((answer.body as { error: string }).error.toLowerCase()).toContain(`missing header ${proof.toLowerCase()}`);
		expect(harness.executions).toHaveLength(0);
	});

	it(
		c.signsBody ? 'refuses a body changed by one byte (401)' : 'cannot detect a changed body: the platform does not sign it (accepted as a new delivery)',
		async () => {
			const secret = c.secret();
			const harness = harnessFor(c.source, secret);
			const body = c.body(Date.now());
			const answer = await harness.deliver(senderHeaders(c.source, body, secret, Date.now()), changeOneByte(body));
			expect(answer.status).toBe(c.signsBody ? 401 : 200);
			expect(harness.executions).toHaveLength(c.signsBody ? 0 : 1);
		},
	);

	if (c.shiftTime) {
		it.each([
			['too old', -1],
			['too far in the future', 1],
		])('refuses a timestamp %s (401)', async (_label, direction) => {
			const secret = c.secret();
			const harness = harnessFor(c.source, secret, { options: { timestampToleranceSeconds: 300 } });
			const atMs = Date.now() + direction * 301_000;
			const genuine = c.body(atMs);
			const { body, headers } = c.shiftTime!(genuine, senderHeaders(c.source, genuine, secret, atMs), secret, atMs);
			const answer = await harness.deliver(headers, body);
			expect(answer.status).toBe(401);
			expect((answer.body as { error: string }).error).toMatch(direction < 0 ? /s in the past; at most 300 s/ : /s in the future; at most 300 s/);
			expect(harness.executions).toHaveLength(0);
		});

		it('accepts a timestamp just inside the tolerance', async () => {
			const secret = c.secret();
			const harness = harnessFor(c.source, secret, { options: { timestampToleranceSeconds: 300 } });
			const atMs = Date.now() - 290_000;
			const genuine = c.body(atMs);
			const { body, headers } = c.shiftTime!(genuine, senderHeaders(c.source, genuine, secret, atMs), secret, atMs);
			expect((await harness.deliver(headers, body)).status).toBe(200);
		});
	}

	it('answers a repeated delivery with 200 duplicate and runs it once', async () => {
		const secret = c.secret();
		const harness = harnessFor(c.source, secret);
		const body = c.body(Date.now());
		const headers = senderHeaders(c.source, body, secret, Date.now(), 'msg_same_delivery');
		expect((await harness.deliver(headers, body)).body).toEqual(accepted);
		expect(await harness.deliver(headers, body)).toEqual({ status: 200, body: { received: true, duplicate: true } });
		expect(harness.executions).toHaveLength(1);
	});

	it('refuses invalid JSON with 400 and starts nothing', async () => {
		const secret = c.secret();
		const harness = harnessFor(c.source, secret);
		const body = '{"event": "RUN_FINISH",';
		const answer = await harness.deliver(senderHeaders(c.source, body, secret, Date.now()), body);
		expect(answer.status).toBe(400);
		expect((answer.body as { error: string }).error).toMatch(/^Invalid JSON/);
		expect(harness.executions).toHaveLength(0);
	});

	it('refuses JSON that breaks the schema with 400 naming the field', async () => {
		const secret = c.secret();
		const harness = harnessFor(c.source, secret);
		const answer = await harness.deliver(senderHeaders(c.source, c.brokenSchema, secret, Date.now()), c.brokenSchema);
		expect(answer.status).toBe(400);
		expect((answer.body as { error: string }).error).toMatch(c.brokenReason);
		expect(harness.executions).toHaveLength(0);
	});

	it('acknowledges an event that is not selected with 200 ignored and starts nothing', async () => {
		const secret = c.secret();
		const harness = harnessFor(c.source, secret, { events: ['RUN_START'] });
		const body = c.body(Date.now());
		const answer = await harness.deliver(senderHeaders(c.source, body, secret, Date.now()), body);
		expect(answer).toEqual({ status: 200, body: { received: true, ignored: 'event RUN_FINISH is not selected in this trigger' } });
		expect(harness.executions).toHaveLength(0);
	});

	it('accepts the previous secret during rotation and refuses a third', async () => {
		const current = c.secret();
		const previous = c.secret() + (c.source === 'standardWebhooks' ? '' : '-old');
		const third = c.secret() + (c.source === 'standardWebhooks' ? '' : '-other');
		const harness = harnessFor(c.source, current, {}, previous);
		const body = c.body(Date.now());
		const bodyTwo = body.replace('"RUN_FINISH"', '"RUN_FINISH" ');
		expect((await harness.deliver(senderHeaders(c.source, body, previous, Date.now()), body)).status).toBe(200);
		expect((await harness.deliver(senderHeaders(c.source, bodyTwo, third, Date.now()), bodyTwo)).status).toBe(401);
		expect(harness.executions).toHaveLength(1);
	});
});

describe('Test Run Trigger: options and edge cases', () => {
	it('leaves raw out when includeRawPayload is off', async () => {
		const harness = harnessFor('maestro', TOKEN, { options: { includeRawPayload: false } });
		const body = fixtureText('maestro-upload.json');
		await harness.deliver(senderHeaders('maestro', body, TOKEN, Date.now()), body);
		expect(harness.lastItem()).not.toHaveProperty('raw');
	});

	it.each(SOURCES.map((c) => c.source))('%s: an empty secret refuses a request signed with that empty secret, naming the credential field', async (source) => {
		const harness = harnessFor(source, '');
		const body = source === 'autosana' ? autosanaBody(Date.now()) : source === 'maestro' ? fixtureText('maestro-upload.json') : currentsBody();
		// What an attacker sends who guesses the secret is empty: every proof made with ''.
		const forged = source === 'maestro' ? { authorization: 'Bearer x' } : forgedHeaders(source, body, '');
		const answer = await harness.deliver(forged, body);
		expect(answer).toEqual({ status: 401, body: { error: expect.stringMatching(/^Unauthorized: the credential field secret is empty;/) } });
		expect(harness.executions).toHaveLength(0);
	});

	it('reads Currents x-timestamp in seconds as well as milliseconds', async () => {
		const harness = harnessFor('currents', SECRET);
		const body = currentsBody();
		const headers = { ...senderHeaders('currents', body, SECRET, Date.now()), 'x-timestamp': String(Math.floor(Date.now() / 1000)) };
		expect((await harness.deliver(headers, body)).status).toBe(200);
	});

	it('refuses a Currents delivery without x-timestamp (the built-in trigger accepts it)', async () => {
		const harness = harnessFor('currents', SECRET);
		const body = currentsBody();
		const headers = senderHeaders('currents', body, SECRET, Date.now());
		delete headers['x-timestamp'];
		expect(await harness.deliver(headers, body)).toEqual({ status: 401, body: { error: 'Unauthorized: missing header x-timestamp' } });
	});

	it('uses a custom secret header name', async () => {
		const harness = harnessFor('currents', SECRET, { secretHeaderName: 'x-currents-key' });
		const body = currentsBody();
		const { 'x-webhook-secret': secret, ...rest } = senderHeaders('currents', body, SECRET, Date.now());
		expect((await harness.deliver({ ...rest, 'X-Currents-Key': secret }, body)).status).toBe(200);
	});

	it('runs each group of a multi-group Currents run once', async () => {
		const harness = harnessFor('currents', SECRET);
		const groups = JSON.parse(fixtureText('currents-multigroup.json')) as object[];
		for (const group of groups) {
			const body = JSON.stringify(group);
			expect((await harness.deliver(senderHeaders('currents', body, SECRET, Date.now()), body)).status).toBe(200);
		}
		expect(harness.executions).toHaveLength(2);
	});

	it('deduplicates per webhook mode: a delivery to the Test URL does not make the production one a duplicate', async () => {
		const harness = harnessFor('maestro', TOKEN);
		const body = fixtureText('maestro-upload.json');
		const headers = senderHeaders('maestro', body, TOKEN, Date.now());
		expect(await harness.deliver(headers, body, { test: true })).toEqual({ status: 200, body: { received: true } });
		expect(await harness.deliver(headers, body)).toEqual({ status: 200, body: { received: true } });
		expect(await harness.deliver(headers, body)).toEqual({ status: 200, body: { received: true, duplicate: true } });
		expect(harness.executions.map((run) => run.mode)).toEqual(['manual', 'webhook']);
	});
});

describe('Test Run Trigger: pings and test events of CI platforms', () => {
	it.each([
		['githubActions', { 'x-github-event': 'ping' }, 'X-GitHub-Event "ping" is not a run event'],
		['cypressCloud', { 'x-cypress-event': 'webhook.ping' }, 'X-Cypress-Event "webhook.ping" is not a run event'],
	] as const)('%s: a genuine ping answers 200 ignored and starts nothing; a forged one 401', async (source, eventHeader, ignored) => {
		const secret = `${source}-secret-0001`;
		const harness = harnessFor(source, secret);
		const body = '{"zen":"Keep it logically awesome.","hook_id":1}';
		const genuine = { ...senderHeaders(source, body, secret, Date.now()), ...eventHeader };
		expect(await harness.deliver(genuine, body)).toEqual({ status: 200, body: { received: true, ignored } });
		const forged = { ...senderHeaders(source, body, 'another-secret-00001', Date.now()), ...eventHeader };
		expect((await harness.deliver(forged, body)).status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});
});

describe('Test Run Trigger in the editor', () => {
	it.each([
		['currents', 'Currents'],
		['maestro', 'Maestro Cloud'],
		['autosana', 'Autosana'],
		['gitlab', 'GitLab'],
		['circleci', 'CircleCI'],
		['buildkite', 'Buildkite'],
		['standardWebhooks', 'Standard Webhooks'],
		['cypressCloud', 'Cypress Cloud'],
		['githubActions', 'GitHub Actions'],
	])('the subtitle of source %s is the platform name %s', (source, name) => {
		const trigger = node('testRunTrigger', { source } as never);
		const { workflow } = buildWorkflow({ nodes: [trigger], connections: {}, nodeTypes, staticData: {}, credentials: {} });
		const subtitle = new TestRunTrigger().description.subtitle!;
		expect(workflow.expression.getSimpleParameterValue(trigger, subtitle, 'internal', {})).toBe(name);
	});

	it('has a trigger panel that says where to send events in test and in production', () => {
		const panel = new TestRunTrigger().description.triggerPanel as { executionsHelp: { active: string; inactive: string }; activationHint: string };
		expect(panel.executionsHelp.inactive).toMatch(/Test URL[\s\S]*Production URL/);
		expect(panel.executionsHelp.active).toMatch(/Production URL/);
		expect(panel.activationHint).toMatch(/register the Production URL on the platform/);
	});
});

describe('Test Run Trigger: option values outside their range', () => {
	it('a tolerance past the maximum is a day: a delivery two days old is still refused (main accepted it)', async () => {
		const harness = harnessFor('currents', SECRET, { options: { timestampToleranceSeconds: 1e12 } });
		const twoDaysAgo = Date.now() - 2 * 86_400_000;
		const answer = await harness.deliver(senderHeaders('currents', currentsBody(), SECRET, twoDaysAgo), currentsBody());
		expect(answer.status).toBe(401);
		expect(harness.executions).toHaveLength(0);
		const recent = await harness.deliver(senderHeaders('currents', currentsBody(), SECRET, Date.now() - 3_600_000), currentsBody());
		expect(recent.status).toBe(200);
	});

	it.each([
		[{ timestampToleranceSeconds: 'soon' }, 'Timestamp Tolerance (timestampToleranceSeconds) must be a number from 1 to 86400, got "soon"'],
		[{ deduplicationWindowSeconds: 'ten minutes' }, 'Deduplication Window (deduplicationWindowSeconds) must be a number from 0 to 2592000, got "ten minutes"'],
	])('%j is no number: 500 naming the field, no execution', async (options, message) => {
		const harness = harnessFor('currents', SECRET, { options });
		const answer = await harness.deliver(senderHeaders('currents', currentsBody(), SECRET, Date.now()), currentsBody());
		expect(answer).toEqual({ status: 500, body: { error: `The trigger is misconfigured: ${message}` } });
		expect(harness.executions).toHaveLength(0);
	});
});

const OLD = 'currents-secret-old-0001';
const NEW = 'currents-secret-new-0002';
/** A distinct delivery each time (Currents deliveries are deduplicated by their bytes). */
let n = 0;
const deliverCurrents = async (h: TriggerHarness, secret: string) => {
	const unique = currentsBody().replace('"RUN_FINISH"', `"RUN_FINISH"${' '.repeat(++n)}`);
	return (await h.deliver(senderHeaders('currents', unique, secret, Date.now()), unique)).status;
};

/** Counts the trigger's credential reads, and lets the test edit the credential. */
function countedCredential(h: TriggerHarness, initial: { secret: string; previousSecret: string }) {
	let current = initial;
	let reads = 0;
	h.credentials = {
		get testRunWebhookSecret() {
			reads++;
			return current;
		},
	};
	return {
		get reads() {
			return reads;
		},
		edit(next: { secret: string; previousSecret: string }) {
			current = next;
		},
	};
}

/** Moves Date.now forward for the rest of a test (the freshness bound is measured with it). */
function laterBy(ms: number) {
	const real = Date.now.bind(Date);
	jest.spyOn(Date, 'now').mockImplementation(() => real() + ms);
}

describe(`Test Run Trigger: the credential, read at most every ${SECRET_FRESHNESS_SECONDS.accepted} s on the Production URL and fresh on the Test URL`, () => {
	afterEach(() => jest.restoreAllMocks());
	const ACCEPTED_MS = SECRET_FRESHNESS_SECONDS.accepted * 1000;
	const REFUSED_MS = SECRET_FRESHNESS_SECONDS.refused * 1000;

	it('production deliveries within the bound are judged by one read', async () => {
		const h = harnessFor('currents', OLD);
		const credential = countedCredential(h, { secret: OLD, previousSecret: '' });
		for (let i = 0; i < 5; i++) expect(await deliverCurrents(h, OLD)).toBe(200);
		expect(credential.reads).toBe(1);
		laterBy(ACCEPTED_MS + 1);
		expect(await deliverCurrents(h, OLD)).toBe(200);
		expect(credential.reads).toBe(2);
	});

	it(`a new secret works once the last read is ${SECRET_FRESHNESS_SECONDS.refused} s old: the refusal is judged again by a newer read`, async () => {
		const h = harnessFor('currents', OLD);
		const credential = countedCredential(h, { secret: OLD, previousSecret: '' });
		expect(await deliverCurrents(h, OLD)).toBe(200);
		credential.edit({ secret: NEW, previousSecret: '' });
		laterBy(REFUSED_MS + 1);
		expect(await deliverCurrents(h, NEW)).toBe(200);
		expect(credential.reads).toBe(2);
		expect(h.executions).toHaveLength(2);
	});

	it(`a removed secret is refused once ${SECRET_FRESHNESS_SECONDS.accepted} s have passed since the edit`, async () => {
		const h = harnessFor('currents', OLD);
		const credential = countedCredential(h, { secret: OLD, previousSecret: '' });
		expect(await deliverCurrents(h, OLD)).toBe(200);
		credential.edit({ secret: NEW, previousSecret: '' });
		laterBy(ACCEPTED_MS + 1);
		expect(await deliverCurrents(h, OLD)).toBe(401);
		expect(await deliverCurrents(h, NEW)).toBe(200);
	});

	it('rotation: old and new both pass while previousSecret holds the old one; clearing it ends the old one within the bound', async () => {
		const h = harnessFor('currents', OLD);
		const credential = countedCredential(h, { secret: NEW, previousSecret: OLD });
		expect(await deliverCurrents(h, OLD)).toBe(200);
		expect(await deliverCurrents(h, NEW)).toBe(200);
		credential.edit({ secret: NEW, previousSecret: '' });
		laterBy(ACCEPTED_MS + 1);
		expect(await deliverCurrents(h, OLD)).toBe(401);
		expect(await deliverCurrents(h, NEW)).toBe(200);
	});

	it(`forged deliveries cost at most one read per ${SECRET_FRESHNESS_SECONDS.refused} s, and a refusal by unchanged secrets is not judged twice`, async () => {
		const h = harnessFor('currents', OLD);
		const credential = countedCredential(h, { secret: OLD, previousSecret: '' });
		expect(await deliverCurrents(h, OLD)).toBe(200);
		for (let i = 0; i < 5; i++) expect(await deliverCurrents(h, 'not-the-secret-000000')).toBe(401);
		expect(credential.reads).toBe(1);
		laterBy(REFUSED_MS + 1);
		for (let i = 0; i < 5; i++) expect(await deliverCurrents(h, 'not-the-secret-000000')).toBe(401);
		expect(credential.reads).toBe(2);
		expect(h.executions).toHaveLength(1);
	});

	it('on the Test URL an edited secret takes effect for the next request: the old one is refused at once', async () => {
		const h = harnessFor('currents', OLD);
		const credential = countedCredential(h, { secret: OLD, previousSecret: '' });
		const deliverTest = async (secret: string) => {
			const unique = currentsBody().replace('"RUN_FINISH"', `"RUN_FINISH"${' '.repeat(++n)}`);
			return (await h.deliver(senderHeaders('currents', unique, secret, Date.now()), unique, { test: true })).status;
		};
		expect(await deliverTest(OLD)).toBe(200);
		credential.edit({ secret: NEW, previousSecret: '' });
		expect(await deliverTest(OLD)).toBe(401);
		expect(await deliverTest(NEW)).toBe(200);
		expect(credential.reads).toBe(3);
	});

	it('concurrent deliveries are all judged by the credential as it is when they arrive', async () => {
		const h = harnessFor('currents', OLD);
		const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => deliverCurrents(h, i % 2 ? OLD : 'not-the-secret-000000')));
		expect(statuses.filter((s) => s === 200)).toHaveLength(6);
		expect(statuses.filter((s) => s === 401)).toHaveLength(6);
		expect(h.executions).toHaveLength(6);
	});

	it('keeps nothing secret in workflow static data', async () => {
		const h = harnessFor('currents', OLD, {}, NEW);
		await deliverCurrents(h, OLD);
		await deliverCurrents(h, 'not-the-secret-000000');
		const stored = JSON.stringify(h.staticData);
		expect(stored).not.toContain(OLD);
		expect(stored).not.toContain(NEW);
	});
});

describe('Test Run Trigger 1.1', () => {
	it('is the default version and behaves as 1', () => {
		const { description } = new TestRunTrigger();
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
	});

	it('reads the raw bytes itself when n8n did not (a content type n8n leaves unparsed from version 1.1 on)', async () => {
		const h = harnessFor('currents', OLD);
		const answer = await h.deliver(
			{ 'x-webhook-secret': OLD, 'x-timestamp': String(Date.now()), 'content-type': 'application/vnd.currents+json' },
			currentsBody(),
			{ unreadBody: true },
		);
		expect(answer.status).toBe(200);
		expect(h.executions).toHaveLength(1);
	});
});

const hmacHex = (secret: string, message: string) => createHmac('sha256', secret).update(message, 'utf8').digest('hex');

interface CiCase {
	source: Source;
	secret: string;
	/** A genuine delivery of the platform's run event, sent now. */
	runEvent: () => string;
	/** The platform's ping or test event, sent now. */
	ping: () => string;
	/** An event the trigger does not map, sent now. */
	otherEvent: () => string;
	/** Headers signed with `secret` by the vendor's recipe, written here. */
	sign: (body: string, secret: string, eventType: string) => Record<string, string>;
	ignored: { ping: string; otherEvent: string };
	item: Record<string, unknown>;
}

const circleciAt = (nowMs: number) => fixtureText('circleci-workflow-completed.json').replace('2026-10-20T09:44:12.318Z', new Date(nowMs).toISOString());

const CI_CASES: CiCase[] = [
	{
		source: 'circleci',
		secret: 'circleci-signing-secret',
		runEvent: () => circleciAt(Date.now()),
		ping: () => JSON.stringify({ type: 'ping', id: 'ping-1', happened_at: new Date().toISOString(), webhook: { id: 'w', name: 'qa' } }),
		otherEvent: () => circleciAt(Date.now()).replace('"workflow-completed"', '"job-completed"'),
		sign: (body, secret, eventType) => ({ 'circleci-event-type': eventType, 'circleci-signature': `v1=${hmacHex(secret, body)}` }),
		ignored: { ping: 'CircleCI event type "ping" is not a run event', otherEvent: 'CircleCI event type "job-completed" is not a run event' },
		item: {
			event: 'RUN_FINISH',
			source: 'circleci',
			deliveryId: 'circleci:5d1f0b3e-7a8c-3e91-b2f4-0c6d8e9a1b2c',
			run: {
				id: 'fda08377-fe7e-46b1-8992-3a7aaecac9c3',
				status: 'failed',
				app: { name: 'storefront', platform: null },
				totals: { tests: null, failed: null },
				failures: [],
			},
		},
	},
	{
		source: 'buildkite',
		secret: 'buildkite-webhook-token',
		runEvent: () => fixtureText('buildkite-build-finished.json'),
		ping: () => JSON.stringify({ event: 'ping', service: { id: 's', provider: 'webhook' }, sender: { name: 'Dana' } }),
		otherEvent: () => fixtureText('buildkite-build-finished.json').replace('"build.finished"', '"build.scheduled"'),
		sign: (body, secret, eventType) => {
			const seconds = Math.floor(Date.now() / 1000);
			return { 'x-buildkite-event': eventType, 'x-buildkite-signature': `timestamp=${seconds},signature=${hmacHex(secret, `${seconds}.${body}`)}` };
		},
		ignored: { ping: 'Buildkite event "ping" is not a run event', otherEvent: 'Buildkite event "build.scheduled" is not a run event' },
		item: {
			event: 'RUN_FINISH',
			source: 'buildkite',
			deliveryId: expect.stringMatching(/^buildkite:[0-9a-f]{32}$/),
			run: {
				id: 'f62a1b4d-10f9-4790-bc1c-e2c3a0c80983',
				name: 'Storefront E2E #1290',
				status: 'failed',
				app: { name: 'Storefront E2E', platform: null },
				totals: { tests: null },
				failures: [],
			},
		},
	},
];

describe('Test Run Trigger in the engine, Buildkite token mode', () => {
	it('the token starts a run; a wrong token is 401; the same body again is a duplicate', async () => {
		const harness = harnessFor('buildkite', 'buildkite-webhook-token');
		const body = fixtureText('buildkite-build-finished.json');
		expect((await harness.deliver({ 'x-buildkite-token': 'buildkite-webhook-token-2' }, body)).status).toBe(401);
		expect(await harness.deliver({ 'x-buildkite-token': 'buildkite-webhook-token' }, body)).toEqual({ status: 200, body: { received: true } });
		expect(await harness.deliver({ 'x-buildkite-token': 'buildkite-webhook-token' }, body)).toEqual({ status: 200, body: { received: true, duplicate: true } });
		expect(harness.executions).toHaveLength(1);
	});
});

describe.each(CI_CASES)('Test Run Trigger in the engine, source $source', (c) => {
	it('a genuine run event starts one execution with the normalized item', async () => {
		const harness = harnessFor(c.source, c.secret);
		const body = c.runEvent();
		expect(await harness.deliver(c.sign(body, c.secret, 'run'), body)).toEqual({ status: 200, body: { received: true } });
		expect(harness.executions).toHaveLength(1);
		expect(harness.lastItem()).toMatchObject({ ...c.item, raw: JSON.parse(body) });
	});

	it.each([['ping'], ['otherEvent']] as const)('a genuine %s is answered 200 ignored and starts nothing; a forged one 401', async (kind) => {
		const harness = harnessFor(c.source, c.secret);
		const body = c[kind]();
		expect(await harness.deliver(c.sign(body, c.secret, kind), body)).toEqual({ status: 200, body: { received: true, ignored: c.ignored[kind] } });
		const forged = await harness.deliver(c.sign(body, `${c.secret}-forged`, kind), body);
		expect(forged.status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});
});

describe('hostile requests through the node in n8n-core', () => {
	it('any request to any source answers 200, 400 or 401, never a 5xx or a thrown error', async () => {
		const harnesses = Object.fromEntries(
			REGISTERED_SOURCES.map((source) => [
				source,
				secretTriggerHarness({ source, registration: 'manual', ...SIGNED_WEBHOOK_SETTINGS }, { secret: 'currents-shared-secret-1' }),
			]),
		) as Record<Source, TriggerHarness>;
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...REGISTERED_SOURCES), hostileHeaders, hostileBody, async (source, requestHeaders, requestBody) => {
				const flat = Object.fromEntries(Object.entries(requestHeaders).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
				const answer = await harnesses[source].deliver(flat, requestBody);
				expect([200, 400, 401]).toContain(answer.status);
			}),
			{ numRuns: propertyRuns(150) },
		);
	});

	describe('out-of-range values and schema errors', () => {
		const MAESTRO_SECRET = 'maestro-project-token-1';
		const STANDARD_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
		const harnessFor = (source: Source, secret: string) => secretTriggerHarness({ source, registration: 'manual' }, { secret });
		const deliver = (harness: TriggerHarness, source: Source, secret: string, body: string) =>
			harness.deliver(senderHeaders(source, body, secret, Date.now()), body);
		/** A genuine Standard Webhooks run item, as JSON to edit. */
		const standardItem = () => runPayload({ status: 'failed', failures: 3 }) as unknown as { run: { durationMs: number; totals: Record<string, unknown> } };

		it('Maestro startTime 1e20 starts one execution whose item has startedAt and durationMs null, never a 500', async () => {
			const harness = harnessFor('maestro', MAESTRO_SECRET);
			const upload = { ...(fixtureJson('maestro-upload.json') as object), startTime: '<startTime>' };
			const body = JSON.stringify(upload).replace('"<startTime>"', '1e20');
			const answer = await deliver(harness, 'maestro', MAESTRO_SECRET, body);
			expect(answer.status).toBe(200);
			expect(harness.executions).toHaveLength(1);
			expect(harness.lastItem()).toMatchObject({ run: { startedAt: null, durationMs: null, endedAt: '2022-08-01T01:00:00.000Z' } });
		});

		it('a Standard Webhooks item without run.totals.flaky is answered 400 naming the field, and starts nothing', async () => {
			const harness = harnessFor('standardWebhooks', STANDARD_SECRET);
			const item = standardItem();
			delete item.run.totals.flaky;
			const answer = await deliver(harness, 'standardWebhooks', STANDARD_SECRET, JSON.stringify(item));
			expect(answer).toEqual({ status: 400, body: { error: 'Payload does not match the standardWebhooks schema: run.totals.flaky: Required' } });
			expect(harness.executions).toHaveLength(0);
		});

		it('a Standard Webhooks item with counts and a duration out of range starts one execution with them null', async () => {
			const harness = harnessFor('standardWebhooks', STANDARD_SECRET);
			const item = standardItem();
			item.run.durationMs = -754000;
			item.run.totals.tests = '<tests>';
			const body = JSON.stringify(item).replace('"<tests>"', '1e400');
			expect((await deliver(harness, 'standardWebhooks', STANDARD_SECRET, body)).status).toBe(200);
			expect(harness.lastItem()).toMatchObject({ run: { durationMs: null, totals: { tests: null, failed: 3 } } });
		});
	});
});
