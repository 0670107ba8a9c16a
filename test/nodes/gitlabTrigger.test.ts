import type { IDataObject } from 'n8n-workflow';
import { fixtureText } from '../support/fixtures';
import { gitlabSenderHeaders, newStandardSecret } from '../support/signing';
import { secretTriggerHarness } from '../support/triggerHarness';

/**
 * The gitlab source through the Test Run Trigger node in n8n-core's engine: GitLab's signing
 * token (Standard Webhooks headers, signed by the `standardwebhooks` package) and its plain
 * secret token. test/nodes/testRunTrigger.test.ts runs the checks every source shares.
 */
const example = fixtureText('gitlab-pipeline.json');
const SECRET_TOKEN = 'gitlab-plain-secret-token';

const harnessFor = (secret: string, previousSecret = '', extra: IDataObject = {}) =>
	secretTriggerHarness({ source: 'gitlab', ...extra }, { secret, previousSecret });

const withStatus = (status: string) => example.replace('"status": "failed", "detailed_status"', `"status": "${status}", "detailed_status"`);

describe('Test Run Trigger, source gitlab, in the engine', () => {
	it('a delivery signed with the whsec_ signing token starts one execution with a RUN_TIMEOUT item', async () => {
		const secret = newStandardSecret();
		const harness = harnessFor(secret);
		const headers = gitlabSenderHeaders(example, secret, Date.now(), 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f');
		expect(await harness.deliver(headers, example)).toEqual({ status: 200, body: { received: true } });
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0].status).toBe('success');
		expect(harness.lastItem()).toMatchObject({
			event: 'RUN_TIMEOUT',
			source: 'gitlab',
			deliveryId: 'gitlab:f5e5f430-f57b-4e6e-9fac-d9128cd7232f',
			run: {
				status: 'timedOut',
				app: { id: '4242', name: 'storefront', platform: null },
				totals: { tests: null, failed: null },
				failures: [{ name: 'test: e2e', url: 'https://gitlab.com/acme/storefront/-/jobs/9002', reason: 'job_execution_timeout' }],
			},
			raw: JSON.parse(example),
		});
	});

	it('a forged, a stale and a replayed signed delivery start nothing', async () => {
		const secret = newStandardSecret();
		const harness = harnessFor(secret);
		const forged = await harness.deliver(gitlabSenderHeaders(example, newStandardSecret(), Date.now()), example);
		expect(forged).toEqual({ status: 401, body: { error: 'Unauthorized: no signature in header webhook-signature matches the body' } });
		const stale = await harness.deliver(gitlabSenderHeaders(example, secret, Date.now() - 301_000), example);
		expect(stale.status).toBe(401);
		expect((stale.body as { error: string }).error).toMatch(/webhook-timestamp is 30\d s in the past/);
		const future = await harness.deliver(gitlabSenderHeaders(example, secret, Date.now() + 301_000), example);
		expect((future.body as { error: string }).error).toMatch(/webhook-timestamp is 30\d s in the future/);
		expect(harness.executions).toHaveLength(0);
		const genuine = gitlabSenderHeaders(example, secret, Date.now(), 'resend-me');
		expect((await harness.deliver(genuine, example)).status).toBe(200);
		expect(await harness.deliver(genuine, example)).toEqual({ status: 200, body: { received: true, duplicate: true } });
		expect(harness.executions).toHaveLength(1);
	});

	it('with a signing token, X-Gitlab-Token beside a bad signature is 401: the signature decides', async () => {
		const secret = newStandardSecret();
		const harness = harnessFor(secret, SECRET_TOKEN);
		const headers = { ...gitlabSenderHeaders(example, newStandardSecret(), Date.now()), 'x-gitlab-token': SECRET_TOKEN };
		expect((await harness.deliver(headers, example)).status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});

	it('a plain secret token in X-Gitlab-Token starts one execution; a wrong one is 401 and nothing starts', async () => {
		const harness = harnessFor(SECRET_TOKEN);
		expect((await harness.deliver(gitlabSenderHeaders(example, `${SECRET_TOKEN}-wrong`, Date.now()), example)).status).toBe(401);
		expect(harness.executions).toHaveLength(0);
		expect(await harness.deliver(gitlabSenderHeaders(example, SECRET_TOKEN, Date.now()), example)).toEqual({ status: 200, body: { received: true } });
		expect(harness.executions).toHaveLength(1);
		expect(harness.lastItem()).toMatchObject({ event: 'RUN_TIMEOUT', run: { git: { remote: 'https://gitlab.com/acme/storefront' } } });
	});

	it('other hooks and pipeline statuses that are no run event answer 200 ignored with a valid proof, 401 with a wrong one', async () => {
		const harness = harnessFor(SECRET_TOKEN);
		const push = { ...gitlabSenderHeaders('{}', SECRET_TOKEN, Date.now()), 'x-gitlab-event': 'Push Hook' };
		expect(await harness.deliver(push, '{}')).toEqual({ status: 200, body: { received: true, ignored: 'X-Gitlab-Event "Push Hook" is not a run event' } });
		const pending = withStatus('pending');
		expect(await harness.deliver(gitlabSenderHeaders(pending, SECRET_TOKEN, Date.now()), pending)).toEqual({
			status: 200,
			body: { received: true, ignored: 'pipeline status "pending" is not a run event' },
		});
		expect((await harness.deliver({ ...push, 'x-gitlab-token': 'not-the-secret-token' }, '{}')).status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});

	it('the events filter applies: a running pipeline is RUN_START, ignored when only RUN_FINISH is selected', async () => {
		const harness = harnessFor(SECRET_TOKEN, '', { events: ['RUN_FINISH'] });
		const running = withStatus('running');
		expect(await harness.deliver(gitlabSenderHeaders(running, SECRET_TOKEN, Date.now()), running)).toEqual({
			status: 200,
			body: { received: true, ignored: 'event RUN_START is not selected in this trigger' },
		});
		expect(harness.executions).toHaveLength(0);
	});

	it('a degenerate payload value is null or a 400 naming the field, never a failed execution', async () => {
		const harness = harnessFor(SECRET_TOKEN);
		const huge = example.replace('"duration": 1805', '"duration": 1e400').replace('"finished_at": "2026-10-20 09:44:10 UTC"', '"finished_at": 1e20');
		expect((await harness.deliver(gitlabSenderHeaders(huge, SECRET_TOKEN, Date.now()), huge)).status).toBe(200);
		expect(harness.lastItem()).toMatchObject({ run: { durationMs: null, endedAt: null } });
		const wrong = example.replace('"name": "storefront"', '"name": 42');
		expect(await harness.deliver(gitlabSenderHeaders(wrong, SECRET_TOKEN, Date.now()), wrong)).toEqual({
			status: 400,
			body: { error: 'Payload does not match the gitlab schema: project.name: Expected string, received number' },
		});
		expect(harness.executions).toHaveLength(1);
	});
});
