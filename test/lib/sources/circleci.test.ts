import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { circleciV1Signatures } from '../../../lib/sources/circleci';
import { InProcessDeliveryMemory, receiveDelivery, type ReceiveOptions } from '../../../lib/trigger';
import { fixtureText } from '../../support/fixtures';
import { receiveOptions } from '../../support/receiveOptions';
import { anyLetterCase } from '../../support/arbitraries';
import { propertyRuns } from '../../support/propertyRuns';

const NOW = Date.UTC(2026, 9, 20, 9, 44, 13);
const SECRET = 'circleci-signing-secret-1';
const FIXTURE = fixtureText('circleci-workflow-completed.json');
/** The example request of the fact sheet (D.6), sent one second after its happened_at. */
const example = () => JSON.parse(FIXTURE);

/** CircleCI's recipe, written here: "v1=" + hex HMAC-SHA256(key = the secret's UTF-8 bytes, message = the raw body). */
const v1 = (secret: string, body: string) => `v1=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

const options = (extra: Partial<ReceiveOptions> = {}) => receiveOptions('circleci', [SECRET], NOW, extra);

const headersFor = (body: string, signature = v1(SECRET, body)) => ({
	'content-type': 'application/json',
	'circleci-event-type': 'workflow-completed',
	'circleci-signature': signature,
});

async function send(payload: unknown, extra: Partial<ReceiveOptions> = {}, headers?: Record<string, string | string[]>) {
	const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
	return await receiveDelivery({ headers: headers ?? headersFor(body), rawBody: Buffer.from(body) }, options(extra));
}

const withStatus = (status: unknown) => {
	const payload = example();
	payload.workflow.status = status;
	return payload;
};

describe("the test signer follows CircleCI's recipe", () => {
	it.each([
		['hello world', '734cc62f32841568f45715aeb9f4d7891324e6d948e4c6c60c0621cdac48623a'],
		['foo', '773ba44693c7553d6ee20f61ea5d2757a9a4f4a44d2841ae4e95b52e4cd62db4'],
	])('reproduces the documented vector for %j with the secret "secret"', (body, hex) => {
		expect(v1('secret', body)).toBe(`v1=${hex}`);
	});
});

describe('circleci: the example workflow-completed request', () => {
	it('becomes one RUN_FINISH failed item with the workflow, project and commit; totals all null, no failures', async () => {
		const outcome = await send(FIXTURE);
		expect(outcome.status).toBe(200);
		expect(outcome.item).toEqual({
			event: 'RUN_FINISH',
			source: 'circleci',
			deliveryId: 'circleci:5d1f0b3e-7a8c-3e91-b2f4-0c6d8e9a1b2c',
			receivedAt: new Date(NOW).toISOString(),
			run: {
				id: 'fda08377-fe7e-46b1-8992-3a7aaecac9c3',
				name: 'build-test #777',
				url: 'https://app.circleci.com/pipelines/gh/acme/storefront/777/workflows/fda08377-fe7e-46b1-8992-3a7aaecac9c3',
				status: 'failed',
				startedAt: '2026-10-20T09:13:42.104Z',
				endedAt: '2026-10-20T09:44:11.990Z',
				durationMs: 1_829_886,
				app: { id: '84996744-a854-4f5e-aea3-04e2851dc1d2', name: 'storefront', platform: null },
				git: {
					sha: '9f1c2e7d8a0b4c6e1f3a5b7c9d0e2f4a6b8c0d1e',
					branch: 'feature/checkout',
					author: 'Dana Lee',
					message: 'checkout: retry payment step',
					remote: 'https://github.com/acme/storefront',
				},
				tags: [],
				totals: { tests: null, passed: null, failed: null, skipped: null, pending: null, flaky: null, retries: null },
				failures: [],
			},
		});
	});

	it('reads git from trigger_parameters (GitLab, GitHub App, Bitbucket Data Center pipelines)', async () => {
		const payload = example();
		payload.pipeline = {
			number: 12,
			trigger_parameters: {
				git: { checkout_sha: 'abc123', branch: 'main', checkout_url: 'https://gitlab.com/acme/storefront.git' },
				gitlab: { commit_title: 'fix: cart', commit_author_name: 'Sam Roe', web_url: 'https://gitlab.com/acme/storefront' },
			},
		};
		const { item } = await send(payload);
		expect(item!.run.git).toEqual({ sha: 'abc123', branch: 'main', author: 'Sam Roe', message: 'fix: cart', remote: 'https://gitlab.com/acme/storefront.git' });
		expect(item!.run.name).toBe('build-test #12');
	});

	it('has git null without vcs or trigger_parameters, and app null without a project; a tag stands in for a missing branch', async () => {
		const payload = example();
		delete payload.project;
		payload.pipeline = { number: null };
		expect((await send(payload)).item!.run).toMatchObject({ app: null, git: null, name: 'build-test' });
		const tagged = example();
		delete tagged.pipeline.vcs.branch;
		tagged.pipeline.vcs.tag = 'v1.2.0';
		expect((await send(tagged)).item!.run.git!.branch).toBe('v1.2.0');
	});
});

describe('circleci: every workflow status', () => {
	it.each([
		['success', 'RUN_FINISH', 'passed'],
		['failed', 'RUN_FINISH', 'failed'],
		['error', 'RUN_FINISH', 'failed'],
		['unauthorized', 'RUN_FINISH', 'failed'],
		['canceled', 'RUN_CANCELED', 'canceled'],
	])('%s → %s %s', async (status, event, runStatus) => {
		const outcome = await send(withStatus(status));
		expect(outcome.status).toBe(200);
		expect(outcome.item).toMatchObject({ event, run: { status: runStatus } });
	});

	it.each([['on_hold'], ['running'], ['not_run'], ['failing'], ['SUCCESS'], ['cancelled'], [''], ['__proto__'], ['toString']])(
		'an undocumented status %j is answered 200 ignored, starting nothing',
		async (status) => {
			const outcome = await send(withStatus(status));
			expect(outcome).toEqual({
				status: 200,
				body: { received: true, ignored: `CircleCI workflow status ${JSON.stringify(status)} is not one this trigger maps` },
			});
		},
	);

	it('a null or missing status is ignored too; a number is a 400 naming workflow.status', async () => {
		expect((await send(withStatus(null))).body.ignored).toBe('CircleCI workflow status null is not one this trigger maps');
		const missing = example();
		delete missing.workflow.status;
		expect((await send(missing)).body.ignored).toBe('CircleCI workflow status null is not one this trigger maps');
		expect(await send(withStatus(3))).toEqual({
			status: 400,
			body: { error: 'Payload does not match the circleci schema: workflow.status: Expected string, received number' },
		});
	});

	it('only the selected events start a run', async () => {
		const outcome = await send(withStatus('canceled'), { events: ['RUN_FINISH'] });
		expect(outcome).toEqual({ status: 200, body: { received: true, ignored: 'event RUN_CANCELED is not selected in this trigger' } });
	});
});

describe('circleci: pings and job events', () => {
	// The abbreviated payload of the Test Ping Event button, as observed.
	const ping = () => ({ type: 'ping', id: 'ping-1', happened_at: new Date(NOW).toISOString(), webhook: { id: 'w', name: 'qa' } });
	const job = () => ({
		...example(),
		type: 'job-completed',
		workflow: { ...example().workflow, status: undefined },
		job: { id: 'j', number: 3, name: 'e2e', status: 'failed' },
	});

	it.each([
		['a ping', ping, 'CircleCI event type "ping" is not a run event'],
		['a job-completed event', job, 'CircleCI event type "job-completed" is not a run event'],
	])('%s with a valid signature is answered 200 ignored', async (_label, payload, reason) => {
		expect(await send(payload())).toEqual({ status: 200, body: { received: true, ignored: reason } });
	});

	it.each([
		['a ping', ping],
		['a job-completed event', job],
	])('%s with a wrong signature is 401', async (_label, payload) => {
		const body = JSON.stringify(payload());
		const outcome = await send(body, {}, headersFor(body, v1('another-secret-000001', body)));
		expect(outcome).toEqual({ status: 401, body: { error: 'Unauthorized: no signature in header circleci-signature matches the body' } });
	});

	it('a workflow-completed body without a workflow is a 400 naming workflow', async () => {
		const payload = example();
		delete payload.workflow;
		expect((await send(payload)).body.error).toBe('Payload does not match the circleci schema: workflow: Required');
	});
});

describe('circleci: the proof', () => {
	it('refuses a forged signature, a changed body and a signature made with another secret', async () => {
		const forged = `v1=${'0'.repeat(64)}`;
		expect((await send(FIXTURE, {}, headersFor(FIXTURE, forged))).status).toBe(401);
		const changed = FIXTURE.replace('"failed"', '"success"');
		expect((await send(changed, {}, headersFor(FIXTURE))).status).toBe(401);
		expect((await send(FIXTURE, {}, headersFor(FIXTURE, v1(`${SECRET}x`, FIXTURE)))).status).toBe(401);
	});

	it('accepts the previous secret while rotating', async () => {
		expect((await send(FIXTURE, { secrets: ['circleci-signing-secret-2', SECRET] })).status).toBe(200);
	});

	it.each([
		['missing', undefined, 'missing header circleci-signature'],
		['repeated', ['v1=aa', 'v1=bb'], 'missing header circleci-signature'],
		['empty', '', 'header circleci-signature has no v1=<hex> signature'],
		['with the sha256= prefix', 'sha256=PLACEHOLDER', 'header circleci-signature has no v1=<hex> signature'],
		['v1 with a comma like Standard Webhooks', 'v1,PLACEHOLDER', 'header circleci-signature has no v1=<hex> signature'],
		['a correct signature under another version only', 'v2=PLACEHOLDER', 'header circleci-signature has no v1=<hex> signature'],
		['a bare hex digest', 'PLACEHOLDER', 'header circleci-signature has no v1=<hex> signature'],
	])('a %s signature header is 401 naming it', async (_label, value, reason) => {
		const hex = v1(SECRET, FIXTURE).slice(3);
		const headers: Record<string, string | string[]> = { 'content-type': 'application/json' };
		if (value !== undefined) headers['circleci-signature'] = Array.isArray(value) ? value : value.replace('PLACEHOLDER', hex);
		expect(await send(FIXTURE, {}, headers)).toEqual({ status: 401, body: { error: `Unauthorized: ${reason}` } });
	});

	it('refuses every request while the secret is empty, even one signed with the empty secret', async () => {
		const outcome = await send(FIXTURE, { secrets: ['', ''] }, headersFor(FIXTURE, v1('', FIXTURE)));
		expect(outcome.status).toBe(401);
		expect(outcome.body.error).toMatch(/the credential field secret is empty/);
	});
});

describe('circleci: the signed happened_at', () => {
	const at = (happenedAt: unknown) => ({ ...example(), happened_at: happenedAt });

	it.each([
		['301 s in the past', -301_000, /happened_at is 301 s in the past; at most 300 s/],
		['301 s in the future', 301_000, /happened_at is 301 s in the future; at most 300 s/],
	])('refuses a delivery sent %s (a replay or a skewed clock)', async (_label, shiftMs, reason) => {
		const outcome = await send(at(new Date(NOW + shiftMs).toISOString()));
		expect(outcome.status).toBe(401);
		expect(outcome.body.error).toMatch(reason);
	});

	it('accepts one sent 299 s ago', async () => {
		expect((await send(at(new Date(NOW - 299_000).toISOString()))).status).toBe(200);
	});

	it.each([[undefined], [null], [''], ['yesterday'], ['2026-13-45T99:99:99Z'], [1e20], [Date.now()], [{ at: 'now' }], [['2026-10-20T09:44:12Z']]])(
		'refuses an unreadable happened_at %j: 401, it could not be checked',
		async (value) => {
			expect(await send(at(value))).toEqual({ status: 401, body: { error: 'Unauthorized: body field happened_at is not an ISO 8601 date and time' } });
		},
	);

	it('reads a happened_at without a zone as UTC', async () => {
		expect((await send(at('2026-10-20T09:44:12'))).status).toBe(200);
	});
});

describe('circleci: delivery id and replays', () => {
	it('answers the same delivery again 200 duplicate; a resend with the same id and a newer happened_at is a duplicate too', async () => {
		const memory = new InProcessDeliveryMemory();
		expect((await send(FIXTURE, { memory })).item).toBeDefined();
		expect(await send(FIXTURE, { memory })).toEqual({ status: 200, body: { received: true, duplicate: true } });
		const resent = { ...example(), happened_at: new Date(NOW).toISOString() };
		expect(await send(resent, { memory })).toEqual({ status: 200, body: { received: true, duplicate: true } });
		expect((await send({ ...resent, id: 'another-event' }, { memory })).item!.deliveryId).toBe('circleci:another-event');
	});

	it.each([
		['empty', '', 'body field id is missing or empty'],
		['blank', '   ', 'body field id is missing or empty'],
		['257 characters long', 'x'.repeat(257), 'body field id is longer than 256 characters'],
	])('refuses an id that is %s with 400 naming it', async (_label, id, reason) => {
		expect(await send({ ...example(), id })).toEqual({ status: 400, body: { error: reason } });
	});

	it('takes an id of exactly 256 characters', async () => {
		const id = 'x'.repeat(256);
		expect((await send({ ...example(), id })).item!.deliveryId).toBe(`circleci:${id}`);
	});

	it.each([
		[{ id: 12 }, 'id: Expected string, received number'],
		[{ id: undefined }, 'id: Required'],
		[{ type: 7 }, 'type: Expected string, received number'],
		[{ project: 'storefront' }, 'project: Expected object, received string'],
	])('a wrong type %j is a 400 naming the field', async (change, reason) => {
		expect(await send({ ...example(), ...change })).toEqual({ status: 400, body: { error: `Payload does not match the circleci schema: ${reason}` } });
	});
});

describe('circleci: degenerate values never throw', () => {
	it('times beyond what a date holds, numbers where text is expected and huge arrays give null or pass through', async () => {
		const payload = example();
		payload.workflow.created_at = 1e20;
		payload.workflow.stopped_at = '+275760-09-13T00:00:00.001Z';
		payload.workflow.id = 1e20;
		payload.pipeline.number = Number.MAX_VALUE;
		payload.project.id = Number.NaN;
		payload.webhook = { events: new Array(100_000).fill('workflow-completed') };
		const outcome = await send(payload);
		expect(outcome.status).toBe(200);
		expect(outcome.item!.run).toMatchObject({ id: null, startedAt: null, endedAt: null, durationMs: null, app: { id: null } });
	});
});

describe('circleciV1Signatures (properties)', () => {
	const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
	const otherEntry = fc.oneof(
		fc.tuple(fc.constantFrom('v0', 'v2', 'v10', 'sha256', 't', 'x'), fc.string({ maxLength: 20 })).map(([key, value]) => `${key}=${value.replace(/,/g, '')}`),
		fc.string({ maxLength: 20 }).filter((entry) => !entry.includes(',') && !/^\s*v1=/i.test(entry)),
	);
	const spaces = fc.stringMatching(/^[ \t]{0,3}$/);

	it('finds every v1 entry of a list, whatever the order, spaces and case, and nothing else', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.oneof(
						hex.map((value) => ({ v1: value })),
						otherEntry.map((value) => ({ other: value })),
					),
					{ maxLength: 6 },
				),
				spaces,
				spaces,
				fc.boolean(),
				(entries, before, after, upper) => {
					const written = entries.map((entry) => ('v1' in entry ? `${upper ? 'V1' : 'v1'}=${upper ? entry.v1.toUpperCase() : entry.v1}` : entry.other));
					const value = written.map((entry) => `${before}${entry}${after}`).join(',');
					const found = entries.flatMap((entry) => ('v1' in entry ? [entry.v1] : []));
					expect(circleciV1Signatures(value)).toEqual(found);
				},
			),
		);
	});

	it('accepts a delivery whose list holds the right v1 anywhere among others, in any case and spacing', async () => {
		const body = FIXTURE;
		const good = v1(SECRET, body).slice(3);
		await fc.assert(
			fc.asyncProperty(
				fc.array(otherEntry, { maxLength: 4 }),
				fc.nat(4),
				spaces,
				anyLetterCase('v1'),
				fc.boolean(),
				async (others, at, space, version, upperHex) => {
					const list = [...others];
					list.splice(Math.min(at, list.length), 0, `${space}${version}=${upperHex ? good.toUpperCase() : good}${space}`);
					const outcome = await send(body, {}, headersFor(body, list.join(',')));
					expect(outcome.status).toBe(200);
				},
			),
			{ numRuns: propertyRuns(50) },
		);
	});

	it('refuses a delivery whose list holds no right v1 (only other versions, wrong v1 values, the right digest under another name)', async () => {
		const body = FIXTURE;
		const good = v1(SECRET, body).slice(3);
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.oneof(
						otherEntry,
						hex.filter((value) => value !== good).map((value) => `v1=${value}`),
						fc.constantFrom(`v2=${good}`, `v1 =${good}`, `v1=${good}0`, `v1=${good.slice(1)}`),
					),
					{
						maxLength: 5,
					},
				),
				async (entries) => {
					expect((await send(body, {}, headersFor(body, entries.join(',')))).status).toBe(401);
				},
			),
			{ numRuns: propertyRuns(50) },
		);
	});
});
