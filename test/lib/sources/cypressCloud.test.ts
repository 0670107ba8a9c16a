import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Source } from '../../../lib/sources';
import { InProcessDeliveryMemory, receiveDelivery, type ReceiveOptions } from '../../../lib/trigger';
import { receiveOptions } from '../../support/receiveOptions';
import { githubExamples, githubWorkflowRunBody, octokitSignatures } from '../../support/github';

const NOW = Date.UTC(2026, 9, 20, 9, 45, 0);
const SECONDS = Math.floor(NOW / 1000);
const CYPRESS_SECRET = 'cypress-cloud-secret-01';
const GITHUB_SECRET = "It's a Secret to Everybody";
const cypressExample = readFileSync(join(__dirname, '..', '..', 'fixtures', 'cypress-run-completed.json'), 'utf8');

/** Cypress Cloud's recipe, written here from its docs: "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<raw body>"). */
const cypressSignature = (secret: string, timestamp: string, body: string) => `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

function cypressHeaders(body: string, overrides: Record<string, string | string[] | undefined> = {}) {
	const timestamp = String(SECONDS);
	return {
		'content-type': 'application/json',
		'x-cypress-event': 'run.completed',
		'x-cypress-event-id': 'evt_318',
		'x-cypress-event-version': '1',
		'x-cypress-request-id': 'req_1',
		'x-cypress-timestamp': timestamp,
		'x-cypress-signature': cypressSignature(CYPRESS_SECRET, timestamp, body),
		...overrides,
	};
}

const optionsFor = (source: Source, extra: Partial<ReceiveOptions> = {}): ReceiveOptions =>
	receiveOptions(source, [source === 'cypressCloud' ? CYPRESS_SECRET : GITHUB_SECRET, ''], NOW, extra);

const receive = (source: Source, headers: Record<string, string | string[] | undefined>, body: string, extra: Partial<ReceiveOptions> = {}) =>
	receiveDelivery({ headers, rawBody: Buffer.from(body) }, optionsFor(source, extra));

describe('Cypress Cloud (cypressCloud)', () => {
	it("normalizes the vendor's example run.completed request, signed by the vendor's recipe", async () => {
		const outcome = await receive('cypressCloud', cypressHeaders(cypressExample), cypressExample);
		expect(outcome.status).toBe(200);
		expect(outcome.item).toEqual({
			event: 'RUN_TIMEOUT',
			source: 'cypressCloud',
			deliveryId: 'cypressCloud:evt_318',
			receivedAt: new Date(NOW).toISOString(),
			run: {
				id: '318',
				name: 'storefront-e2e #318',
				url: 'https://cloud.cypress.io/projects/ab12cd/runs/318',
				status: 'timedOut',
				startedAt: '2026-10-20T09:14:02.000Z',
				endedAt: '2026-10-20T09:44:02.000Z',
				durationMs: 1800000,
				app: { id: 'ab12cd', name: 'storefront-e2e', platform: null },
				git: { sha: '9f1c2e7d8a0b4c6e1f3a5b7c9d0e2f4a6b8c0d1e', branch: 'feature/checkout', author: 'Dana Lee', message: 'checkout: retry payment step', remote: null },
				tags: ['nightly'],
				totals: { tests: 240, passed: 231, failed: 3, skipped: 2, pending: 4, flaky: 1, retries: null },
				failures: [],
			},
		});
	});

	it.each([
		['passed', 'RUN_FINISH', 'passed'],
		['failed', 'RUN_FINISH', 'failed'],
		['errored', 'RUN_FINISH', 'failed'],
		['timedOut', 'RUN_TIMEOUT', 'timedOut'],
		['cancelled', 'RUN_CANCELED', 'canceled'],
	])('maps status %s to %s, run status %s', async (status, event, runStatus) => {
		const body = cypressExample.replace('"timedOut"', JSON.stringify(status));
		const outcome = await receive('cypressCloud', cypressHeaders(body), body);
		expect(outcome.item).toMatchObject({ event, run: { status: runStatus } });
	});

	it.each(['canceled', 'TIMEDOUT', 'running', '__proto__', 'constructor'])('answers an unknown status %s 200 ignored, starting nothing', async (status) => {
		const body = cypressExample.replace('"timedOut"', JSON.stringify(status));
		const outcome = await receive('cypressCloud', cypressHeaders(body), body);
		expect(outcome).toEqual({ status: 200, body: { received: true, ignored: expect.stringContaining(JSON.stringify(status)) } });
	});

	it.each(['webhook.ping', 'run.accessibility.completed', 'run.uiCoverage.completed'])('answers a genuine %s delivery 200 ignored, and a forged one 401', async (event) => {
		const body = event === 'webhook.ping' ? '{"message":"Webhook ping"}' : cypressExample;
		const genuine = await receive('cypressCloud', cypressHeaders(body, { 'x-cypress-event': event }), body);
		expect(genuine).toEqual({ status: 200, body: { received: true, ignored: `X-Cypress-Event "${event}" is not a run event` } });
		const forged = { ...cypressHeaders(body, { 'x-cypress-event': event }), 'x-cypress-signature': cypressSignature('another-secret-0001', String(SECONDS), body) };
		expect((await receive('cypressCloud', forged, body)).status).toBe(401);
	});

	it.each([
		['301 s in the past', -301, /header X-Cypress-Timestamp is 301 s in the past/],
		['301 s in the future', 301, /header X-Cypress-Timestamp is 301 s in the future/],
	])('refuses a delivery signed %s with 401 (the signature itself is right)', async (_label, shift, reason) => {
		const timestamp = String(SECONDS + shift);
		const headers = cypressHeaders(cypressExample, { 'x-cypress-timestamp': timestamp, 'x-cypress-signature': cypressSignature(CYPRESS_SECRET, timestamp, cypressExample) });
		const outcome = await receive('cypressCloud', headers, cypressExample);
		expect(outcome.status).toBe(401);
		expect(outcome.body.error).toMatch(reason);
	});

	it('accepts 300 s in the past and in the future', async () => {
		for (const shift of [-300, 300]) {
			const timestamp = String(SECONDS + shift);
			const headers = cypressHeaders(cypressExample, { 'x-cypress-timestamp': timestamp, 'x-cypress-signature': cypressSignature(CYPRESS_SECRET, timestamp, cypressExample) });
			expect((await receive('cypressCloud', headers, cypressExample)).status).toBe(200);
		}
	});

	it('refuses a signature moved to another timestamp (the timestamp is signed)', async () => {
		const outcome = await receive('cypressCloud', cypressHeaders(cypressExample, { 'x-cypress-timestamp': String(SECONDS - 1) }), cypressExample);
		expect(outcome).toEqual({ status: 401, body: { error: 'Unauthorized: signature in header X-Cypress-Signature does not match the body' } });
	});

	it.each([
		['X-Cypress-Signature', { 'x-cypress-signature': undefined }, 401, 'Unauthorized: missing header X-Cypress-Signature'],
		['X-Cypress-Timestamp', { 'x-cypress-timestamp': undefined }, 401, 'Unauthorized: missing header X-Cypress-Timestamp'],
		['X-Cypress-Event', { 'x-cypress-event': undefined }, 400, 'missing header X-Cypress-Event'],
		['X-Cypress-Event-Id', { 'x-cypress-event-id': undefined }, 400, 'header X-Cypress-Event-Id is missing or empty'],
	])('a delivery without %s is refused naming it', async (_name, overrides, status, error) => {
		const outcome = await receive('cypressCloud', cypressHeaders(cypressExample, overrides), cypressExample);
		expect(outcome).toEqual({ status, body: { error } });
	});

	it('refuses a repeated signature or timestamp header as missing (ambiguous), and a non-numeric timestamp', async () => {
		const signature = cypressHeaders(cypressExample)['x-cypress-signature'];
		expect((await receive('cypressCloud', cypressHeaders(cypressExample, { 'x-cypress-signature': [signature, signature] }), cypressExample)).body.error).toBe(
			'Unauthorized: missing header X-Cypress-Signature',
		);
		expect((await receive('cypressCloud', cypressHeaders(cypressExample, { 'x-cypress-timestamp': [String(SECONDS), String(SECONDS)] }), cypressExample)).status).toBe(401);
		expect((await receive('cypressCloud', cypressHeaders(cypressExample, { 'x-cypress-timestamp': '1.8e9' }), cypressExample)).body.error).toBe(
			'Unauthorized: header X-Cypress-Timestamp is not epoch seconds',
		);
	});

	it('refuses a wrong prefix and an empty secret', async () => {
		const hex = cypressHeaders(cypressExample)['x-cypress-signature'].slice('sha256='.length);
		for (const prefix of ['', 'sha1=', 'SHA256=', 'v1=', 'sha256 ']) {
			const outcome = await receive('cypressCloud', cypressHeaders(cypressExample, { 'x-cypress-signature': `${prefix}${hex}` }), cypressExample);
			expect(outcome.status).toBe(401);
		}
		const unsigned = cypressHeaders(cypressExample, { 'x-cypress-signature': cypressSignature('', String(SECONDS), cypressExample) });
		expect((await receive('cypressCloud', unsigned, cypressExample, { secrets: ['', ''] })).body.error).toMatch(/credential field secret is empty/);
	});

	it('runs a replay once: the same event id, and the same body under a new event id (the id header is not signed)', async () => {
		const options = optionsFor('cypressCloud');
		const deliver = (headers: Record<string, string>) => receiveDelivery({ headers, rawBody: Buffer.from(cypressExample) }, options);
		expect((await deliver(cypressHeaders(cypressExample))).item).toBeDefined();
		expect((await deliver(cypressHeaders(cypressExample, { 'x-cypress-request-id': 'req_2' }))).body).toEqual({ received: true, duplicate: true });
		expect((await deliver(cypressHeaders(cypressExample, { 'x-cypress-event-id': 'evt_forged_new_id' }))).body).toEqual({ received: true, duplicate: true });
	});

	it('reads values out of range or of the wrong type as null, never throwing', async () => {
		const body = JSON.stringify({
			status: 'passed',
			runNumber: { nested: [1] },
			createdAt: 1e20,
			completedAt: '+275760-09-13T00:00:00.001Z',
			totalDuration: -5,
			totalTests: 1e300,
			totalPassed: 2.5,
			totalFailed: '3',
			tags: null,
		});
		const outcome = await receive('cypressCloud', cypressHeaders(body), body);
		expect(outcome.item?.run).toMatchObject({
			id: null,
			name: null,
			startedAt: null,
			endedAt: null,
			durationMs: null,
			app: { id: null, name: null, platform: null },
			git: null,
			tags: [],
			totals: { tests: null, passed: null, failed: null, skipped: null, pending: null, flaky: null, retries: null },
		});
	});

	it('answers 400 naming the field for a body without a status', async () => {
		const body = '{"runNumber": 1}';
		expect(await receive('cypressCloud', cypressHeaders(body), body)).toEqual({ status: 400, body: { error: 'Payload does not match the cypressCloud schema: status: Required' } });
	});
});

describe('GitHub Actions (githubActions)', () => {
	const githubHeaders = (signature: string, overrides: Record<string, string | string[] | undefined> = {}) => ({
		'content-type': 'application/json',
		'user-agent': 'GitHub-Hookshot/3f2a9c1',
		'x-github-event': 'workflow_run',
		'x-github-delivery': '5c1e7a40-8a2b-11f1-9c3e-0e2f5b7d1a11',
		'x-hub-signature-256': signature,
		...overrides,
	});
	const CONCLUSIONS: Array<[string | null, string, string]> = [
		['success', 'RUN_FINISH', 'passed'],
		['neutral', 'RUN_FINISH', 'passed'],
		['skipped', 'RUN_FINISH', 'passed'],
		['failure', 'RUN_FINISH', 'failed'],
		['startup_failure', 'RUN_FINISH', 'failed'],
		['action_required', 'RUN_FINISH', 'failed'],
		['stale', 'RUN_FINISH', 'failed'],
		['timed_out', 'RUN_TIMEOUT', 'timedOut'],
		['cancelled', 'RUN_CANCELED', 'canceled'],
	];
	const workflowRuns = githubExamples('workflow_run').map((example) => JSON.stringify(example));
	const pings = githubExamples('ping').map((example) => JSON.stringify(example));
	const conclusionBodies = CONCLUSIONS.map(([conclusion]) => githubWorkflowRunBody(conclusion));
	const unknownBodies = [null, 'pending', 'hasOwnProperty'].map((conclusion) => githubWorkflowRunBody(conclusion));
	const allBodies = [...workflowRuns, ...pings, ...conclusionBodies, ...unknownBodies];
	// Signed by GitHub's own library, once for every body (see test/support/github.ts).
	const signatures = new Map(octokitSignatures(allBodies.map((body) => ({ secret: GITHUB_SECRET, body }))).map((signature, index) => [allBodies[index], signature]));
	const signed = (body: string, overrides: Record<string, string | string[] | undefined> = {}) => githubHeaders(signatures.get(body)!, overrides);

	it("GitHub's test vector: octokit's signature of \"Hello, World!\" is the documented one", () => {
		expect(octokitSignatures([{ secret: GITHUB_SECRET, body: 'Hello, World!' }])).toEqual(['sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17']);
	});

	it("answers every octokit workflow_run example: completed and in_progress start a run, requested is ignored", async () => {
		for (const body of workflowRuns) {
			const payload = JSON.parse(body);
			const outcome = await receive('githubActions', signed(body), body);
			expect(outcome.status).toBe(200);
			if (payload.action === 'requested' || payload.workflow_run.conclusion === null) {
				expect(outcome.item).toBeUndefined();
				expect(outcome.body.ignored).toMatch(/action "requested"|conclusion null/);
			} else {
				expect(outcome.item).toMatchObject({
					source: 'githubActions',
					deliveryId: 'githubActions:5c1e7a40-8a2b-11f1-9c3e-0e2f5b7d1a11',
					run: {
						id: String(payload.workflow_run.id),
						url: payload.workflow_run.html_url,
						app: { id: String(payload.repository.id), name: payload.repository.full_name, platform: null },
						git: { sha: payload.workflow_run.head_sha, branch: payload.workflow_run.head_branch, remote: payload.repository.html_url },
						totals: { tests: null, passed: null, failed: null, skipped: null, pending: null, flaky: null, retries: null },
						failures: [],
					},
				});
			}
		}
	});

	it.each(CONCLUSIONS)('maps completed with conclusion %s to %s, run status %s', async (conclusion, event, status) => {
		const body = githubWorkflowRunBody(conclusion);
		const outcome = await receive('githubActions', signed(body), body);
		expect(outcome.item).toMatchObject({ event, run: { status } });
		expect(outcome.item!.run.endedAt).toBe(new Date(JSON.parse(body).workflow_run.updated_at).toISOString());
	});

	it('maps in_progress to RUN_START running, without an end', async () => {
		// octokit ships no in_progress example: its completed one, as GitHub sends it when a runner starts.
		const body = JSON.stringify({ ...JSON.parse(githubWorkflowRunBody(null)), action: 'in_progress' });
		const signature = octokitSignatures([{ secret: GITHUB_SECRET, body }])[0];
		const outcome = await receive('githubActions', githubHeaders(signature), body);
		expect(outcome.item).toMatchObject({ event: 'RUN_START', run: { status: 'running', endedAt: null, durationMs: null } });
	});

	it.each(unknownBodies.map((body) => [JSON.parse(body).workflow_run.conclusion, body]))('answers completed with conclusion %s 200 ignored', async (_conclusion, body) => {
		const outcome = await receive('githubActions', signed(body), body);
		expect(outcome).toEqual({ status: 200, body: { received: true, ignored: expect.stringMatching(/^workflow_run conclusion (null|"pending"|"hasOwnProperty") is not one this trigger maps$/) } });
	});

	it("answers each octokit ping example 200 ignored with its proof, 401 with a forged one", async () => {
		for (const body of pings) {
			expect(await receive('githubActions', signed(body, { 'x-github-event': 'ping' }), body)).toEqual({
				status: 200,
				body: { received: true, ignored: 'X-GitHub-Event "ping" is not a run event' },
			});
			const forged = octokitSignatures([{ secret: 'a-different-secret-0001', body }])[0];
			expect((await receive('githubActions', githubHeaders(forged, { 'x-github-event': 'ping' }), body)).status).toBe(401);
		}
	});

	it('refuses forged, missing, duplicated and wrongly prefixed signatures with 401, a missing event or delivery header with 400', async () => {
		const body = conclusionBodies[0];
		const good = signatures.get(body)!;
		const at = (overrides: Record<string, string | string[] | undefined>) => receive('githubActions', signed(body, overrides), body);
		expect((await at({ 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` })).status).toBe(401);
		expect((await at({ 'x-hub-signature-256': undefined })).body.error).toBe('Unauthorized: missing header X-Hub-Signature-256');
		expect((await at({ 'x-hub-signature-256': [good, good] })).body.error).toBe('Unauthorized: missing header X-Hub-Signature-256');
		expect((await at({ 'x-hub-signature-256': good.replace('sha256=', 'sha1=') })).body.error).toBe('Unauthorized: header X-Hub-Signature-256 does not start with sha256=');
		expect(await at({ 'x-github-event': undefined })).toEqual({ status: 400, body: { error: 'missing header X-GitHub-Event' } });
		expect(await at({ 'x-github-delivery': '  ' })).toEqual({ status: 400, body: { error: 'header X-GitHub-Delivery is missing or empty' } });
		expect(await at({ 'x-github-delivery': 'x'.repeat(257) })).toEqual({ status: 400, body: { error: 'header X-GitHub-Delivery is longer than 256 characters' } });
		expect((await receive('githubActions', signed(body), body, { secrets: ['', ''] })).body.error).toMatch(/credential field secret is empty/);
	});

	it('runs a replay once: a redelivery (same X-GitHub-Delivery) and the same signed body under a new delivery id are duplicates', async () => {
		const body = conclusionBodies[3];
		const options = optionsFor('githubActions');
		const deliver = (headers: Record<string, string | string[] | undefined>) => receiveDelivery({ headers, rawBody: Buffer.from(body) }, options);
		expect((await deliver(signed(body))).item).toBeDefined();
		expect((await deliver(signed(body))).body).toEqual({ received: true, duplicate: true });
		expect((await deliver(signed(body, { 'x-github-delivery': 'replayed-with-a-new-guid' }))).body).toEqual({ received: true, duplicate: true });
	});

	it('never echoes more than 60 characters of an unknown event name', async () => {
		const body = pings[0];
		const outcome = await receive('githubActions', signed(body, { 'x-github-event': 'e'.repeat(5000) }), body);
		expect(outcome.body.ignored).toBe(`X-GitHub-Event "${'e'.repeat(60)}" is not a run event`);
	});
});

describe('signature header parsing: properties', () => {
	const body = '{"action":"completed","workflow_run":{"id":1,"conclusion":"failure"}}';
	const hex = createHmac('sha256', GITHUB_SECRET).update(body).digest('hex');
	const receiveWith = (signature: string, headerName = 'x-hub-signature-256') =>
		receiveDelivery(
			{ headers: { 'x-github-event': 'workflow_run', 'x-github-delivery': 'd-1', [headerName]: signature }, rawBody: Buffer.from(body) },
			optionsFor('githubActions', { memory: new InProcessDeliveryMemory() }),
		);

	it('any letter case of the hex digits and of the header name verifies', async () => {
		const caseOf = (text: string) => fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
		await fc.assert(
			fc.asyncProperty(caseOf(hex), caseOf('x-hub-signature-256'), async (digits, name) => {
				expect((await receiveWith(`sha256=${digits}`, name)).status).toBe(200);
			}),
		);
	});

	it('spaces inside, a list of signatures, or another prefix case never verify (GitHub sends one signature)', async () => {
		const good = `sha256=${hex}`;
		const variant = fc.oneof(
			fc.nat({ max: good.length }).map((at) => `${good.slice(0, at)} ${good.slice(at)}`),
			fc.constantFrom(`${good},${good}`, `${good} ${good}`, `sha256=${'0'.repeat(64)},${good}`, `SHA256=${hex}`, `Sha256=${hex}`, `sha256:${hex}`, `sha256=${hex}00`),
		);
		await fc.assert(
			fc.asyncProperty(variant, async (signature) => {
				fc.pre(signature !== good);
				expect((await receiveWith(signature)).status).toBe(401);
			}),
		);
	});

	it('the Cypress signature verifies whatever the case of its hex digits, and never with any other timestamp', async () => {
		const timestamp = String(SECONDS);
		const signature = cypressSignature(CYPRESS_SECRET, timestamp, cypressExample);
		await fc.assert(
			fc.asyncProperty(fc.boolean(), fc.integer({ min: -300, max: 300 }), async (upper, shift) => {
				const digits = upper ? signature.slice(7).toUpperCase() : signature.slice(7);
				const stamp = String(SECONDS + shift);
				const outcome = await receiveDelivery(
					{ headers: cypressHeaders(cypressExample, { 'x-cypress-timestamp': stamp, 'x-cypress-signature': `sha256=${digits}` }), rawBody: Buffer.from(cypressExample) },
					optionsFor('cypressCloud'),
				);
				expect(outcome.status).toBe(shift === 0 ? 200 : 401);
			}),
		);
	});
});
