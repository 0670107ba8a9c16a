import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { InProcessDeliveryMemory, receiveDelivery, type ReceiveOptions } from '../../../lib/trigger';
import { fixtureText } from '../../support/fixtures';
import { receiveOptions } from '../../support/receiveOptions';
import { anyLetterCase } from '../../support/arbitraries';
import { propertyRuns } from '../../support/propertyRuns';

/** The time of ci-platforms.md C.6's example (`webhook-timestamp: 1799401500`). */
const SECONDS = 1799401500;
const NOW = SECONDS * 1000;
const SIGNING_TOKEN = `whsec_${Buffer.alloc(32, 0x2a).toString('base64')}`;
const SECRET_TOKEN = 'gitlab-plain-secret-token';
const IDEMPOTENCY_KEY = 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f';
const EVENT_UUID = '8e2d1c44-90a1-4f0e-8b7e-1c2d3e4f5a6b';
const example = fixtureText('gitlab-pipeline.json');

type Headers = Record<string, string | string[] | undefined>;

/** The headers of C.6 that come with every delivery. */
const common = (): Headers => ({
	'content-type': 'application/json',
	'user-agent': 'GitLab/19.1.0',
	'x-gitlab-event': 'Pipeline Hook',
	'x-gitlab-instance': 'https://gitlab.com',
	'x-gitlab-webhook-uuid': '3b0f5d0e-2c1a-4a8e-9d55-6f0f4c1b7a21',
	'x-gitlab-event-uuid': EVENT_UUID,
	'idempotency-key': IDEMPOTENCY_KEY,
});

/** Signed by the `standardwebhooks` package, as GitLab signs with a signing token (webhook-id = Idempotency-Key). */
function signed(body: string, { token = SIGNING_TOKEN, atSeconds = SECONDS, id = IDEMPOTENCY_KEY } = {}): Headers {
	return {
		...common(),
		'idempotency-key': id,
		'webhook-id': id,
		'webhook-timestamp': String(atSeconds),
		'webhook-signature': new Webhook(token).sign(id, new Date(atSeconds * 1000), body),
	};
}

/** With only a legacy secret token, C.6 replaces the webhook-* headers by X-Gitlab-Token. */
const tokened = (token = SECRET_TOKEN): Headers => ({ ...common(), 'x-gitlab-token': token });

const optionsFor = (secrets: string[], extra: Partial<ReceiveOptions> = {}): ReceiveOptions => receiveOptions('gitlab', secrets, NOW, extra);

const receive = (headers: Headers, body: string, secrets: string[] = [SIGNING_TOKEN, ''], extra: Partial<ReceiveOptions> = {}) =>
	receiveDelivery({ headers, rawBody: Buffer.from(body) }, optionsFor(secrets, extra));

type Json = Record<string, unknown>;
/** The example's shape, loose enough for a test to put any value in a field (Object.assign for another type). */
interface Payload {
	object_kind: unknown;
	object_attributes: Json;
	project?: Json;
	commit?: Json;
	builds: Json[];
}

/** The example with its pipeline status, job failure reason, or any field changed. */
function pipeline(change: (payload: Payload) => void = () => {}): string {
	const payload = JSON.parse(example);
	change(payload);
	return JSON.stringify(payload);
}
const withStatus = (status: unknown) => pipeline((payload) => (payload.object_attributes.status = status));
const withReason = (reason: unknown) => pipeline((payload) => (payload.builds[1].failure_reason = reason));

const EXPECTED_RUN = {
	id: '1501234567',
	name: 'MR pipeline',
	url: 'https://gitlab.com/acme/storefront/-/pipelines/1501234567',
	status: 'timedOut',
	startedAt: '2026-10-20T09:13:55.000Z',
	endedAt: '2026-10-20T09:44:10.000Z',
	durationMs: 1805000,
	app: { id: '4242', name: 'storefront', platform: null },
	git: {
		sha: '9f1c2e7d8a0b4c6e1f3a5b7c9d0e2f4a6b8c0d1e',
		branch: 'feature/checkout',
		author: 'Dana Lee',
		message: 'checkout: retry payment step\n',
		remote: 'https://gitlab.com/acme/storefront',
	},
	tags: [],
	totals: { tests: null, passed: null, failed: null, skipped: null, pending: null, flaky: null, retries: null },
	failures: [{ name: 'test: e2e', url: 'https://gitlab.com/acme/storefront/-/jobs/9002', reason: 'job_execution_timeout' }],
};

describe('GitLab: the example request of ci-platforms.md C.6', () => {
	it('signed with a whsec_ signing token (by the standardwebhooks package): RUN_TIMEOUT, the failed job, the signed webhook-id as delivery id', async () => {
		const outcome = await receive(signed(example), example);
		expect(outcome).toEqual({
			status: 200,
			body: { received: true },
			item: { event: 'RUN_TIMEOUT', source: 'gitlab', deliveryId: `gitlab:${IDEMPOTENCY_KEY}`, receivedAt: new Date(NOW).toISOString(), run: EXPECTED_RUN },
		});
	});

	it('with a plain secret token in X-Gitlab-Token: the same item, the Idempotency-Key as delivery id', async () => {
		const outcome = await receive(tokened(), example, [SECRET_TOKEN]);
		expect(outcome.status).toBe(200);
		expect(outcome.item).toEqual({
			event: 'RUN_TIMEOUT',
			source: 'gitlab',
			deliveryId: `gitlab:${IDEMPOTENCY_KEY}`,
			receivedAt: new Date(NOW).toISOString(),
			run: EXPECTED_RUN,
		});
	});

	it('keeps the payload as received in raw when asked', async () => {
		expect((await receive(signed(example), example, [SIGNING_TOKEN], { includeRawPayload: true })).item?.raw).toEqual(JSON.parse(example));
	});
});

describe('GitLab: every pipeline status', () => {
	it.each([
		['running', 'RUN_START', 'running'],
		['success', 'RUN_FINISH', 'passed'],
		['canceled', 'RUN_CANCELED', 'canceled'],
	])('%s → %s (%s)', async (status, event, runStatus) => {
		const body = withStatus(status);
		const outcome = await receive(signed(body), body);
		expect(outcome.item).toMatchObject({ event, run: { status: runStatus } });
	});

	it('running: the run has not ended', async () => {
		const body = withStatus('running');
		expect((await receive(signed(body), body)).item?.run.endedAt).toBeNull();
	});

	it('failed by a job failing its script → RUN_FINISH failed, with the job as the failure', async () => {
		const body = withReason('script_failure');
		const outcome = await receive(signed(body), body);
		expect(outcome.item).toMatchObject({ event: 'RUN_FINISH', run: { status: 'failed', failures: [{ name: 'test: e2e', reason: 'script_failure' }] } });
	});

	// All 13 values GitLab knows (C.4) but the four that map, and one it may add later.
	it.each([
		'created',
		'waiting_for_resource',
		'preparing',
		'waiting_for_callback',
		'pending',
		'canceling',
		'skipped',
		'manual',
		'scheduled',
		'some_future_status',
		'',
	])('%j is answered 200 ignored and starts nothing', async (status) => {
		const body = withStatus(status);
		expect(await receive(signed(body), body)).toEqual({
			status: 200,
			body: { received: true, ignored: `pipeline status ${JSON.stringify(status)} is not a run event` },
		});
	});

	it('an ignored status is quoted back cut short and escaped', async () => {
		const body = withStatus(`${'x'.repeat(500)}\r\n`);
		expect((await receive(signed(body), body)).body.ignored).toBe(`pipeline status "${'x'.repeat(60)}" is not a run event`);
	});
});

describe('GitLab: which failure reasons mean a timeout', () => {
	/** C.4's timeout classification, written here independently of the source. */
	const TIMEOUTS = [
		'job_execution_timeout',
		'job_execution_server_timeout',
		'server_timeout_running',
		'server_timeout_canceling',
		'stuck_or_timeout_failure',
		'stuck_pending_with_matching_runners',
		'stuck_pending_no_matching_runners',
		'no_updates_running',
		'no_updates_canceling',
	];
	/** Every other failure_reason value of C.4's enum, and a null reason. */
	const OTHERS = [
		'unknown_failure',
		'script_failure',
		'api_failure',
		'runner_system_failure',
		'missing_dependency_failure',
		'runner_unsupported',
		'stale_schedule',
		'archived_failure',
		'unmet_prerequisites',
		'scheduler_failure',
		'data_integrity_failure',
		'forward_deployment_failure',
		'user_blocked',
		'project_deleted',
		'ci_quota_exceeded',
		'pipeline_loop_detected',
		'no_matching_runner',
		'trace_size_exceeded',
		'builds_disabled',
		'environment_creation_failure',
		'deployment_rejected',
		'failed_outdated_deployment_job',
		'runner_configuration_error',
		'runner_external_dependency_failure',
		'runner_interrupted',
		'protected_environment_failure',
		'insufficient_bridge_permissions',
		'downstream_bridge_project_not_found',
		'invalid_bridge_trigger',
		'upstream_bridge_project_not_found',
		'insufficient_upstream_permissions',
		'bridge_pipeline_is_child_pipeline',
		'downstream_pipeline_creation_failed',
		'secrets_provider_not_found',
		'reached_max_descendant_pipelines_depth',
		'ip_restriction_failure',
		'reached_max_pipeline_hierarchy_size',
		'reached_downstream_pipeline_trigger_rate_limit',
		'duo_workflow_not_allowed',
		'job_router_failure',
		'job_token_expired',
		'id_token_burned_project_path',
		'downstream_project_trigger_resolved_to_empty',
		null,
	];

	it.each(TIMEOUTS)('%s → RUN_TIMEOUT (timedOut)', async (reason) => {
		const body = withReason(reason);
		expect((await receive(signed(body), body)).item).toMatchObject({ event: 'RUN_TIMEOUT', run: { status: 'timedOut', failures: [{ reason }] } });
	});

	it.each(OTHERS)('%s → RUN_FINISH failed', async (reason) => {
		const body = withReason(reason);
		expect((await receive(signed(body), body)).item).toMatchObject({ event: 'RUN_FINISH', run: { status: 'failed', failures: [{ reason }] } });
	});

	it('a timed-out job that was allowed to fail neither times the run out nor counts as a failure', async () => {
		const body = pipeline((payload) => {
			payload.builds[1].allow_failure = true;
			payload.builds.push({ id: 9003, stage: 'test', name: 'unit', status: 'failed', failure_reason: 'script_failure', allow_failure: false });
		});
		const outcome = await receive(signed(body), body);
		expect(outcome.item).toMatchObject({
			event: 'RUN_FINISH',
			run: { status: 'failed', failures: [{ name: 'test: unit', url: 'https://gitlab.com/acme/storefront/-/jobs/9003', reason: 'script_failure' }] },
		});
		expect(outcome.item?.run.failures).toHaveLength(1);
	});

	it('a timeout reason on a job that did not fail (a canceled pipeline) changes nothing', async () => {
		const body = pipeline((payload) => {
			payload.object_attributes.status = 'canceled';
			payload.builds[1].status = 'canceled';
		});
		expect((await receive(signed(body), body)).item).toMatchObject({ event: 'RUN_CANCELED', run: { status: 'canceled', failures: [] } });
	});
});

describe('GitLab: the proof', () => {
	it('a signature made with another signing token is 401 and says the secret does not match', async () => {
		const other = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
		const outcome = await receive(signed(example, { token: other }), example);
		expect(outcome).toEqual({ status: 401, body: { error: 'Unauthorized: no signature in header webhook-signature matches the body' } });
	});

	it('a body changed after signing is 401', async () => {
		expect((await receive(signed(example), example.replace('"failed"', '"success"'))).status).toBe(401);
	});

	it.each([
		['past', -301, 'Unauthorized: header webhook-timestamp is 301 s in the past; at most 300 s is accepted'],
		['future', 301, 'Unauthorized: header webhook-timestamp is 301 s in the future; at most 300 s is accepted'],
	])('a stale signature (%s) is 401; exactly at the tolerance it is accepted', async (_label, shift, error) => {
		expect(await receive(signed(example, { atSeconds: SECONDS + shift }), example)).toEqual({ status: 401, body: { error } });
		expect((await receive(signed(example, { atSeconds: SECONDS + Math.sign(shift) * 300 }), example)).status).toBe(200);
	});

	it('a wrong secret token is 401; the token is compared exactly (no trimming, case, or Bearer prefix)', async () => {
		for (const token of [`${SECRET_TOKEN}x`, SECRET_TOKEN.toUpperCase(), ` ${SECRET_TOKEN}`, `Bearer ${SECRET_TOKEN}`, '']) {
			expect(await receive(tokened(token), example, [SECRET_TOKEN])).toEqual({
				status: 401,
				body: { error: 'Unauthorized: wrong token in header X-Gitlab-Token' },
			});
		}
	});

	it('no secret appears in an answer, however wrong the proof', async () => {
		const answers = [
			await receive(tokened(`${SECRET_TOKEN}x`), example, [SECRET_TOKEN]),
			await receive(tokened(SIGNING_TOKEN), example, [SIGNING_TOKEN]),
			await receive(signed(example, { token: `whsec_${Buffer.alloc(32, 1).toString('base64')}` }), example, [SIGNING_TOKEN, SECRET_TOKEN]),
		];
		for (const answer of answers) {
			expect(answer.status).toBe(401);
			const text = JSON.stringify(answer);
			for (const secret of [SECRET_TOKEN, SIGNING_TOKEN, SIGNING_TOKEN.slice('whsec_'.length)]) expect(text).not.toContain(secret);
		}
	});

	it.each([
		[
			'webhook-signature',
			'Unauthorized: missing header webhook-signature (the credential holds a whsec_ signing token: GitLab signs only when the webhook has that Signing token)',
		],
		['webhook-id', 'Unauthorized: missing header webhook-id'],
		['webhook-timestamp', 'Unauthorized: missing header webhook-timestamp'],
	])('with a signing token, a delivery without %s is 401 naming it', async (name, error) => {
		const headers = signed(example);
		delete headers[name];
		expect(await receive(headers, example)).toEqual({ status: 401, body: { error } });
	});

	it('with a signing token, X-Gitlab-Token alone proves nothing, even carrying the signing token itself', async () => {
		expect((await receive(tokened(SIGNING_TOKEN), example, [SIGNING_TOKEN])).status).toBe(401);
	});

	it('with a secret token, a delivery without X-Gitlab-Token is 401 naming it', async () => {
		expect(await receive(common(), example, [SECRET_TOKEN])).toEqual({ status: 401, body: { error: 'Unauthorized: missing header X-Gitlab-Token' } });
	});

	it('a proof header sent twice counts as missing: 401, and a repeated signature never falls back to the token', async () => {
		expect((await receive({ ...tokened(), 'x-gitlab-token': [SECRET_TOKEN, SECRET_TOKEN] }, example, [SECRET_TOKEN])).status).toBe(401);
		const both: Headers = { ...signed(example), 'x-gitlab-token': SECRET_TOKEN };
		const repeated = { ...both, 'webhook-signature': [both['webhook-signature'] as string, both['webhook-signature'] as string] };
		expect(await receive(repeated, example, [SIGNING_TOKEN, SECRET_TOKEN])).toEqual({
			status: 401,
			body: { error: 'Unauthorized: missing header webhook-signature' },
		});
	});

	it('a signature of another version or without its prefix is 401', async () => {
		const headers = signed(example);
		const signature = headers['webhook-signature'] as string;
		for (const wrong of [signature.replace('v1,', 'v2,'), signature.slice('v1,'.length), `V1,${signature.slice(3)}`, `v1=${signature.slice(3)}`]) {
			expect(await receive({ ...headers, 'webhook-signature': wrong }, example)).toEqual({
				status: 401,
				body: { error: 'Unauthorized: header webhook-signature has no v1 signature' },
			});
		}
	});

	it.each([
		['empty', '', /field secret is empty/],
		['whitespace', ' \r\n', /field secret is empty/],
		['a 15-byte token', 'a'.repeat(15), /field secret holds less than 16 bytes/],
		['whsec_ alone', 'whsec_', /field secret holds less than 16 bytes/],
		['whsec_ with a 15-byte key', `whsec_${Buffer.alloc(15, 1).toString('base64')}`, /field secret holds less than 16 bytes/],
		['whsec_ with no base64 at all', 'whsec_!!!!!!!!!!!!!!!!!!!!!!!!', /field secret holds less than 16 bytes/],
	])('a credential secret that is %s refuses even a delivery proven with it', async (_label, secret, reason) => {
		const headers = secret.startsWith('whsec_')
			? { ...common(), 'webhook-id': 'x', 'webhook-timestamp': String(SECONDS), 'webhook-signature': 'v1,AAAA' }
			: tokened(secret);
		const outcome = await receive(headers, example, [secret, '']);
		expect(outcome.status).toBe(401);
		expect(outcome.body.error).toMatch(reason);
	});

	it('a short previousSecret of the other kind is refused by its field name', async () => {
		expect((await receive(signed(example), example, [SIGNING_TOKEN, 'short'])).body.error).toMatch(/field previousSecret holds less than 16 bytes/);
	});
});

describe('GitLab: a signing token and a secret token together', () => {
	const both = [SIGNING_TOKEN, SECRET_TOKEN];

	it('GitLab sends both headers when both tokens are set: the signature decides', async () => {
		const headers = { ...signed(example), 'x-gitlab-token': SECRET_TOKEN };
		expect((await receive(headers, example, both)).item?.deliveryId).toBe(`gitlab:${IDEMPOTENCY_KEY}`);
		const forged = {
			...headers,
			'webhook-signature': new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).sign(IDEMPOTENCY_KEY, new Date(NOW), example),
		};
		expect(await receive(forged, example, both)).toEqual({
			status: 401,
			body: { error: 'Unauthorized: no signature in header webhook-signature matches the body' },
		});
		const stale = { ...signed(example, { atSeconds: SECONDS - 3600 }), 'x-gitlab-token': SECRET_TOKEN };
		expect((await receive(stale, example, both)).status).toBe(401);
	});

	it('an empty webhook-signature beside a right token is still a signature to check: 401', async () => {
		expect((await receive({ ...tokened(), 'webhook-signature': '' }, example, both)).status).toBe(401);
	});

	it('while moving from one to the other (secret and previousSecret), a delivery with only the token is accepted', async () => {
		expect((await receive(tokened(), example, both)).status).toBe(200);
		expect((await receive(tokened(), example, [SECRET_TOKEN, SIGNING_TOKEN])).status).toBe(200);
		expect((await receive(signed(example), example, [SECRET_TOKEN, SIGNING_TOKEN])).status).toBe(200);
	});

	it('a credential with only a secret token checks X-Gitlab-Token; a signature it holds no key for changes nothing', async () => {
		const headers = { ...tokened(), 'webhook-id': IDEMPOTENCY_KEY, 'webhook-timestamp': String(SECONDS), 'webhook-signature': 'v1,AAAA' };
		expect((await receive(headers, example, [SECRET_TOKEN])).status).toBe(200);
		expect((await receive({ ...headers, 'x-gitlab-token': 'not-the-secret-token' }, example, [SECRET_TOKEN])).status).toBe(401);
	});
});

describe('GitLab: events, the Test button, delivery ids', () => {
	it.each(['Push Hook', 'Job Hook', 'Merge Request Hook', 'System Hook', 'pipeline hook'])(
		'a genuine %j delivery is answered 200 ignored; a forged one 401',
		async (event) => {
			const body = '{"object_kind":"push"}';
			expect(await receive({ ...signed(body), 'x-gitlab-event': event }, body)).toEqual({
				status: 200,
				body: { received: true, ignored: `X-Gitlab-Event ${JSON.stringify(event)} is not a run event` },
			});
			expect((await receive({ ...tokened('forged-token-0000000'), 'x-gitlab-event': event }, body, [SECRET_TOKEN])).status).toBe(401);
		},
	);

	it('without X-Gitlab-Event: 400 naming it (after the proof)', async () => {
		const headers = signed(example);
		delete headers['x-gitlab-event'];
		expect(await receive(headers, example)).toEqual({ status: 400, body: { error: 'missing header X-Gitlab-Event' } });
		expect((await receive({ ...headers, 'webhook-signature': 'v1,AAAA' }, example)).status).toBe(401);
	});

	it('the Test button sends the newest pipeline as a real event: started when its status maps, ignored when not, 401 when forged', async () => {
		expect((await receive(tokened(), withStatus('success'), [SECRET_TOKEN])).item).toMatchObject({ event: 'RUN_FINISH', run: { status: 'passed' } });
		expect((await receive(tokened(), withStatus('pending'), [SECRET_TOKEN])).body).toEqual({
			received: true,
			ignored: 'pipeline status "pending" is not a run event',
		});
		expect((await receive(tokened('forged-token-0000000'), withStatus('success'), [SECRET_TOKEN])).status).toBe(401);
	});

	it('a Resend (same Idempotency-Key, same signed webhook-id) is a duplicate', async () => {
		const memory = new InProcessDeliveryMemory();
		expect((await receive(signed(example), example, [SIGNING_TOKEN], { memory })).item).toBeDefined();
		expect(await receive(signed(example, { atSeconds: SECONDS + 60 }), example, [SIGNING_TOKEN], { memory, nowMs: NOW + 60_000 })).toEqual({
			status: 200,
			body: { received: true, duplicate: true },
		});
	});

	it('with a secret token, a replay under a new Idempotency-Key is still a duplicate (the body hash is remembered too)', async () => {
		const memory = new InProcessDeliveryMemory();
		expect((await receive(tokened(), example, [SECRET_TOKEN], { memory })).item).toBeDefined();
		const replay = { ...tokened(), 'idempotency-key': 'another-key', 'x-gitlab-event-uuid': 'another-uuid' };
		expect((await receive(replay, example, [SECRET_TOKEN], { memory })).body).toEqual({ received: true, duplicate: true });
	});

	it('before GitLab 17.4 (no Idempotency-Key) the delivery id is X-Gitlab-Event-UUID; with neither, 400 naming them', async () => {
		const headers = tokened();
		delete headers['idempotency-key'];
		expect((await receive(headers, example, [SECRET_TOKEN])).item?.deliveryId).toBe(`gitlab:${EVENT_UUID}`);
		delete headers['x-gitlab-event-uuid'];
		expect(await receive(headers, example, [SECRET_TOKEN])).toEqual({
			status: 400,
			body: { error: 'header X-Gitlab-Event-UUID (Idempotency-Key is absent) is missing or empty' },
		});
	});

	it('an empty or overlong Idempotency-Key is 400 naming it (no fallback: GitLab sent one)', async () => {
		expect((await receive({ ...tokened(), 'idempotency-key': ' ' }, example, [SECRET_TOKEN])).body).toEqual({
			error: 'header Idempotency-Key is missing or empty',
		});
		expect((await receive({ ...tokened(), 'idempotency-key': 'k'.repeat(257) }, example, [SECRET_TOKEN])).body).toEqual({
			error: 'header Idempotency-Key is longer than 256 characters',
		});
	});
});

describe('GitLab: the payload', () => {
	const item = async (body: string) => (await receive(signed(body), body)).item!;
	const error = async (body: string) => (await receive(signed(body), body)).body.error;

	it('reads pipeline times in GitLab\'s own form ("… UTC", "… +0200") and in ISO 8601', async () => {
		expect((await item(pipeline((p) => (p.object_attributes.finished_at = '2026-10-20 11:44:10 +0200')))).run.endedAt).toBe('2026-10-20T09:44:10.000Z');
		expect((await item(pipeline((p) => (p.object_attributes.finished_at = '2026-10-20T09:44:10.5Z')))).run.endedAt).toBe('2026-10-20T09:44:10.500Z');
		expect((await item(pipeline((p) => (p.builds[0].started_at = '2026-10-20T09:10:00Z')))).run.startedAt).toBe('2026-10-20T09:10:00.000Z');
	});

	it.each([
		['a date of 1e20', 1e20],
		['an impossible date', '2026-13-45 25:61:61 UTC'],
		['a date with a bad offset', '2026-10-20 09:44:10 +9999'],
		['text', 'yesterday'],
		['an object', { at: 1 }],
	])('finished_at as %s is null', async (_label, value) => {
		expect((await item(pipeline((p) => (p.object_attributes.finished_at = value)))).run.endedAt).toBeNull();
	});

	it.each([
		['1e20 seconds', 1e20],
		['negative', -5],
		['text', '1805'],
		['null', null],
	])('duration as %s is null', async (_label, value) => {
		expect((await item(pipeline((p) => (p.object_attributes.duration = value)))).run.durationMs).toBeNull();
	});

	it('ids sent as text stay text; ids beyond 2^53 (already rounded) or of another type are null', async () => {
		const run = (await item(pipeline((p) => ((p.object_attributes.id = 1e20), (p.project!.id = 'grp/4242'), (p.builds[1].id = { no: 1 }))))).run;
		// 1e20 was rounded when parsed (beyond 2^53): no digits of it can be trusted, so no id.
		expect(run.id).toBeNull();
		expect(run.app?.id).toBe('grp/4242');
		expect(run.failures[0].url).toBeNull();
	});

	it.each([
		['object_attributes.status', (p: Payload) => (p.object_attributes.status = 7), /object_attributes\.status: Expected string, received number/],
		['object_attributes', (p: Payload) => delete (p as Partial<Payload>).object_attributes, /object_attributes: Required/],
		['object_kind', (p: Payload) => (p.object_kind = 'build'), /object_kind: Invalid literal value/],
		['project.name', (p: Payload) => (p.project!.name = 42), /project\.name: Expected string, received number/],
		['builds', (p: Payload) => Object.assign(p, { builds: 'none' }), /builds: Expected array, received string/],
		[
			'builds.1.failure_reason',
			(p: Payload) => (p.builds[1].failure_reason = ['job_execution_timeout']),
			/builds\.1\.failure_reason: Expected string, received array/,
		],
		['commit.author.name', (p: Payload) => (p.commit!.author = { name: true }), /commit\.author\.name: Expected string, received boolean/],
	])('a wrong %s is 400 naming the field', async (_field, change, reason) => {
		expect(await error(pipeline(change))).toMatch(reason);
	});

	it('without builds, project or commit: no failures, no app, git from the pipeline; a name and URL from the iid and project', async () => {
		const run = (await item(pipeline((p) => (Object.assign(p, { builds: null }), delete p.project, delete p.commit)))).run;
		expect(run).toMatchObject({
			app: null,
			failures: [],
			startedAt: null,
			status: 'failed',
			git: { sha: '9f1c2e7d8a0b4c6e1f3a5b7c9d0e2f4a6b8c0d1e', branch: 'feature/checkout', author: null, message: null, remote: null },
		});
		const unnamed = (await item(pipeline((p) => (delete p.object_attributes.name, delete p.object_attributes.url)))).run;
		expect(unnamed).toMatchObject({ name: 'Pipeline #4821', url: 'https://gitlab.com/acme/storefront/-/pipelines/1501234567' });
	});

	it('a job without a stage is named by itself', async () => {
		expect((await item(pipeline((p) => (p.builds[1].stage = null)))).run.failures[0].name).toBe('e2e');
	});

	it('ten thousand failed jobs are all listed', async () => {
		const body = pipeline((p) => {
			p.builds = Array.from({ length: 10_000 }, (_, index) => ({
				id: index,
				stage: 's',
				name: `j${index}`,
				status: 'failed',
				failure_reason: 'script_failure',
			}));
		});
		expect((await item(body)).run.failures).toHaveLength(10_000);
	});
});

describe('GitLab: properties of the signature header and the header names', () => {
	const key = Buffer.from(SIGNING_TOKEN.slice('whsec_'.length), 'base64');
	/** The Standard Webhooks recipe, written here with node:crypto. */
	const v1 = (id: string, body: string) => `v1,${createHmac('sha256', key).update(`${id}.${SECONDS}.${body}`).digest('base64')}`;
	const noise = fc.oneof(
		fc.constantFrom('v1,AAAA', 'v2,abc=', 'v1a,xyz', 'v1,', 'V1,', '', 'v1', ','),
		fc.base64String({ minLength: 4, maxLength: 64 }).map((text) => `v1,${text}`),
		fc.string({ maxLength: 30 }).filter((text) => !text.includes(' ')),
	);

	it('any list holding the right v1 entry among others, in any order and spacing, is accepted; without it, refused', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(noise, { maxLength: 5 }), fc.nat(), fc.boolean(), async (others, position, include) => {
				const id = 'msg_property';
				const entries = [...others];
				if (include) entries.splice(position % (entries.length + 1), 0, v1(id, example));
				const headers = { ...signed(example, { id }), 'webhook-signature': entries.join(' ') };
				const outcome = await receive(headers, example);
				expect(outcome.status).toBe(include ? 200 : 401);
			}),
			{ numRuns: propertyRuns(150) },
		);
	});

	it('header names are matched in any case', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.tuple(
					anyLetterCase('x-gitlab-event'),
					anyLetterCase('idempotency-key'),
					anyLetterCase('x-gitlab-token'),
					anyLetterCase('webhook-signature'),
					anyLetterCase('webhook-id'),
					anyLetterCase('webhook-timestamp'),
				),
				async ([event, idKey, token, signature, id, timestamp]) => {
					const genuine = signed(example);
					const tokenHeaders = { [event]: 'Pipeline Hook', [idKey]: IDEMPOTENCY_KEY, [token]: SECRET_TOKEN };
					expect((await receive(tokenHeaders, example, [SECRET_TOKEN])).status).toBe(200);
					const signedHeaders = {
						[event]: 'Pipeline Hook',
						[signature]: genuine['webhook-signature'],
						[id]: genuine['webhook-id'],
						[timestamp]: genuine['webhook-timestamp'],
					};
					expect((await receive(signedHeaders, example)).status).toBe(200);
				},
			),
			{ numRuns: propertyRuns(60) },
		);
	});

	it('no token but the exact one is accepted', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({ maxLength: 40 }), async (token) => {
				fc.pre(token !== SECRET_TOKEN);
				expect((await receive(tokened(token), example, [SECRET_TOKEN])).status).toBe(401);
			}),
			{ numRuns: propertyRuns(150) },
		);
	});

	it('any JSON body with a valid proof is answered 200, 400 or 401, never a throw', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.json({ maxDepth: 5 }),
					fc.json({ maxDepth: 3 }).map((json) => example.replace('"failed"', json)),
				),
				async (body) => {
					const outcome = await receive(tokened(), body, [SECRET_TOKEN]);
					expect([200, 400]).toContain(outcome.status);
				},
			),
			{ numRuns: propertyRuns(200) },
		);
	});
});
