import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { InProcessDeliveryMemory, receiveDelivery, type ReceiveOptions } from '../../../lib/trigger';
import { githubExamples, githubWorkflowRunBody, octokitSignatures } from '../../support/github';
import { receiveOptions, receiverFor } from '../../support/receiveOptions';
import { anyLetterCase } from '../../support/arbitraries';

const NOW = Date.UTC(2026, 9, 20, 9, 45, 0);
const GITHUB_SECRET = "It's a Secret to Everybody";

const optionsFor = (extra: Partial<ReceiveOptions> = {}) => receiveOptions('githubActions', [GITHUB_SECRET, ''], NOW, extra);
const receiveGithub = receiverFor('githubActions', [GITHUB_SECRET, ''], NOW);

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
	const signatures = new Map(
		octokitSignatures(allBodies.map((body) => ({ secret: GITHUB_SECRET, body }))).map((signature, index) => [allBodies[index], signature]),
	);
	const signed = (body: string, overrides: Record<string, string | string[] | undefined> = {}) => githubHeaders(signatures.get(body)!, overrides);

	it('GitHub\'s test vector: octokit\'s signature of "Hello, World!" is the documented one', () => {
		expect(octokitSignatures([{ secret: GITHUB_SECRET, body: 'Hello, World!' }])).toEqual([
			'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
		]);
	});

	it('answers every octokit workflow_run example: completed and in_progress start a run, requested is ignored', async () => {
		for (const body of workflowRuns) {
			const payload = JSON.parse(body);
			const outcome = await receiveGithub(signed(body), body);
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
		const outcome = await receiveGithub(signed(body), body);
		expect(outcome.item).toMatchObject({ event, run: { status } });
		expect(outcome.item!.run.endedAt).toBe(new Date(JSON.parse(body).workflow_run.updated_at).toISOString());
	});

	it('maps in_progress to RUN_START running, without an end', async () => {
		// octokit ships no in_progress example: its completed one, as GitHub sends it when a runner starts.
		const body = JSON.stringify({ ...JSON.parse(githubWorkflowRunBody(null)), action: 'in_progress' });
		const signature = octokitSignatures([{ secret: GITHUB_SECRET, body }])[0];
		const outcome = await receiveGithub(githubHeaders(signature), body);
		expect(outcome.item).toMatchObject({ event: 'RUN_START', run: { status: 'running', endedAt: null, durationMs: null } });
	});

	it.each(unknownBodies.map((body) => [JSON.parse(body).workflow_run.conclusion, body]))(
		'answers completed with conclusion %s 200 ignored',
		async (_conclusion, body) => {
			const outcome = await receiveGithub(signed(body), body);
			expect(outcome).toEqual({
				status: 200,
				body: { received: true, ignored: expect.stringMatching(/^workflow_run conclusion (null|"pending"|"hasOwnProperty") is not one this trigger maps$/) },
			});
		},
	);

	it('answers each octokit ping example 200 ignored with its proof, 401 with a forged one', async () => {
		for (const body of pings) {
			expect(await receiveGithub(signed(body, { 'x-github-event': 'ping' }), body)).toEqual({
				status: 200,
				body: { received: true, ignored: 'X-GitHub-Event "ping" is not a run event' },
			});
			const forged = octokitSignatures([{ secret: 'a-different-secret-0001', body }])[0];
			expect((await receiveGithub(githubHeaders(forged, { 'x-github-event': 'ping' }), body)).status).toBe(401);
		}
	});

	it('refuses forged, missing, duplicated and wrongly prefixed signatures with 401, a missing event or delivery header with 400', async () => {
		const body = conclusionBodies[0];
		const good = signatures.get(body)!;
		const at = (overrides: Record<string, string | string[] | undefined>) => receiveGithub(signed(body, overrides), body);
		expect((await at({ 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` })).status).toBe(401);
		expect((await at({ 'x-hub-signature-256': undefined })).body.error).toBe('Unauthorized: missing header X-Hub-Signature-256');
		expect((await at({ 'x-hub-signature-256': [good, good] })).body.error).toBe('Unauthorized: missing header X-Hub-Signature-256');
		expect((await at({ 'x-hub-signature-256': good.replace('sha256=', 'sha1=') })).body.error).toBe(
			'Unauthorized: header X-Hub-Signature-256 does not start with sha256=',
		);
		expect(await at({ 'x-github-event': undefined })).toEqual({ status: 400, body: { error: 'missing header X-GitHub-Event' } });
		expect(await at({ 'x-github-delivery': '  ' })).toEqual({ status: 400, body: { error: 'header X-GitHub-Delivery is missing or empty' } });
		expect(await at({ 'x-github-delivery': 'x'.repeat(257) })).toEqual({
			status: 400,
			body: { error: 'header X-GitHub-Delivery is longer than 256 characters' },
		});
		expect((await receiveGithub(signed(body), body, { secrets: ['', ''] })).body.error).toMatch(/credential field secret is empty/);
	});

	it('runs a replay once: a redelivery (same X-GitHub-Delivery) and the same signed body under a new delivery id are duplicates', async () => {
		const body = conclusionBodies[3];
		const options = optionsFor();
		const deliver = (headers: Record<string, string | string[] | undefined>) => receiveDelivery({ headers, rawBody: Buffer.from(body) }, options);
		expect((await deliver(signed(body))).item).toBeDefined();
		expect((await deliver(signed(body))).body).toEqual({ received: true, duplicate: true });
		expect((await deliver(signed(body, { 'x-github-delivery': 'replayed-with-a-new-guid' }))).body).toEqual({ received: true, duplicate: true });
	});

	it('never echoes more than 60 characters of an unknown event name', async () => {
		const body = pings[0];
		const outcome = await receiveGithub(signed(body, { 'x-github-event': 'e'.repeat(5000) }), body);
		expect(outcome.body.ignored).toBe(`X-GitHub-Event "${'e'.repeat(60)}" is not a run event`);
	});
});

describe('signature header parsing: properties', () => {
	const body = '{"action":"completed","workflow_run":{"id":1,"conclusion":"failure"}}';
	const hex = createHmac('sha256', GITHUB_SECRET).update(body).digest('hex');
	const receiveWith = (signature: string, headerName = 'x-hub-signature-256') =>
		receiveDelivery(
			{ headers: { 'x-github-event': 'workflow_run', 'x-github-delivery': 'd-1', [headerName]: signature }, rawBody: Buffer.from(body) },
			optionsFor({ memory: new InProcessDeliveryMemory() }),
		);

	it('any letter case of the hex digits and of the header name verifies', async () => {
		await fc.assert(
			fc.asyncProperty(anyLetterCase(hex), anyLetterCase('x-hub-signature-256'), async (digits, name) => {
				expect((await receiveWith(`sha256=${digits}`, name)).status).toBe(200);
			}),
		);
	});

	it('spaces inside, a list of signatures, or another prefix case never verify (GitHub sends one signature)', async () => {
		const good = `sha256=${hex}`;
		const variant = fc.oneof(
			fc.nat({ max: good.length }).map((at) => `${good.slice(0, at)} ${good.slice(at)}`),
			fc.constantFrom(
				`${good},${good}`,
				`${good} ${good}`,
				`sha256=${'0'.repeat(64)},${good}`,
				`SHA256=${hex}`,
				`Sha256=${hex}`,
				`sha256:${hex}`,
				`sha256=${hex}00`,
			),
		);
		await fc.assert(
			fc.asyncProperty(variant, async (signature) => {
				fc.pre(signature !== good);
				expect((await receiveWith(signature)).status).toBe(401);
			}),
		);
	});
});
