import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { parseBuildkiteSignature } from '../../../lib/sources/buildkite';
import { InProcessDeliveryMemory, receiveDelivery, type ReceiveOptions } from '../../../lib/trigger';
import { fixtureText } from '../../support/fixtures';
import { receiveOptions } from '../../support/receiveOptions';
import { anyLetterCase } from '../../support/arbitraries';
import { propertyRuns } from '../../support/propertyRuns';

/** The example request's timestamp (E.6), received two seconds later. */
const SENT = 1799401460;
const NOW = (SENT + 2) * 1000;
const TOKEN = 'buildkite-webhook-token-1';
const FIXTURE = fixtureText('buildkite-build-finished.json');
const example = () => JSON.parse(FIXTURE);

/** Buildkite's recipe, written here: hex HMAC-SHA256(key = the token's UTF-8 bytes, message = "<timestamp>.<raw body>"). */
const hex = (secret: string, timestamp: string | number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
const signed = (body: string, secret = TOKEN, timestamp: string | number = SENT) => ({
	'x-buildkite-signature': `timestamp=${timestamp},signature=${hex(secret, timestamp, body)}`,
});

const options = (extra: Partial<ReceiveOptions> = {}) => receiveOptions('buildkite', [TOKEN], NOW, extra);

async function send(payload: unknown, headers?: Record<string, string | string[]>, extra: Partial<ReceiveOptions> = {}) {
	const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
	const sentHeaders = { 'content-type': 'application/json', 'x-buildkite-event': 'build.finished', ...(headers ?? signed(body)) };
	return await receiveDelivery({ headers: sentHeaders, rawBody: Buffer.from(body) }, options(extra));
}

const finished = (state: unknown, blocked: unknown = false) => {
	const payload = example();
	payload.build.state = state;
	payload.build.blocked = blocked;
	return payload;
};

const EXAMPLE_RUN = {
	id: 'f62a1b4d-10f9-4790-bc1c-e2c3a0c80983',
	name: 'Storefront E2E #1290',
	url: 'https://buildkite.com/acme/storefront-e2e/builds/1290',
	status: 'failed',
	startedAt: '2026-10-20T09:13:52.004Z',
	endedAt: '2026-10-20T09:44:19.870Z',
	durationMs: 1_827_866,
	app: { id: '849411f9-9e6d-4739-a0d8-e247088e9b52', name: 'Storefront E2E', platform: null },
	git: {
		sha: '9f1c2e7d8a0b4c6e1f3a5b7c9d0e2f4a6b8c0d1e',
		branch: 'feature/checkout',
		author: 'Dana Lee',
		message: 'checkout: retry payment step',
		remote: 'git@github.com:acme/storefront.git',
	},
	tags: [],
	totals: { tests: null, passed: null, failed: null, skipped: null, pending: null, flaky: null, retries: null },
	failures: [],
};

describe('buildkite: the example build.finished request', () => {
	it('signed: one RUN_FINISH failed item with the build, pipeline and commit; totals all null; the body hash as delivery id', async () => {
		const outcome = await send(FIXTURE);
		expect(outcome.status).toBe(200);
		expect(outcome.item).toEqual({
			event: 'RUN_FINISH',
			source: 'buildkite',
			deliveryId: expect.stringMatching(/^buildkite:[0-9a-f]{32}$/),
			receivedAt: new Date(NOW).toISOString(),
			run: EXAMPLE_RUN,
		});
	});

	it('with the token instead: the same item', async () => {
		expect((await send(FIXTURE, { 'x-buildkite-token': TOKEN })).item!.run).toEqual(EXAMPLE_RUN);
	});

	it('build.running is RUN_START running, without an end time, whatever state the payload already shows', async () => {
		for (const state of ['running', 'passed']) {
			const payload = { ...finished(state), event: 'build.running' };
			const { item } = await send(payload);
			expect(item).toMatchObject({ event: 'RUN_START', run: { status: 'running', startedAt: '2026-10-20T09:13:52.004Z', endedAt: null, durationMs: null } });
		}
	});

	it('without a pipeline: app null, the name null, the remote null', async () => {
		const payload = example();
		delete payload.pipeline;
		expect((await send(payload)).item!.run).toMatchObject({ app: null, name: null, git: { remote: null } });
	});
});

describe('buildkite: every build.finished state', () => {
	it.each([
		['passed', 'RUN_FINISH', 'passed'],
		['failed', 'RUN_FINISH', 'failed'],
		['canceled', 'RUN_CANCELED', 'canceled'],
	])('%s → %s %s', async (state, event, status) => {
		expect((await send(finished(state))).item).toMatchObject({ event, run: { status } });
	});

	it.each([
		['creating'],
		['scheduled'],
		['running'],
		['waiting'],
		['failing'],
		['canceling'],
		['waiting_failed'],
		['blocked'],
		['skipped'],
		['not_run'],
		['cancelled'],
		['PASSED'],
		['__proto__'],
		[''],
		[null],
	])('%j is answered 200 ignored, starting nothing', async (state) => {
		expect(await send(finished(state))).toEqual({
			status: 200,
			body: { received: true, ignored: `build.finished state ${JSON.stringify(state)} is not one this trigger maps` },
		});
	});

	it('passed with blocked: true waits at a block step: ignored until it finishes; failed with blocked: true is still failed', async () => {
		expect((await send(finished('passed', true))).body.ignored).toBe('build.finished of a blocked build (waiting at a block step): it finishes once unblocked');
		expect((await send(finished('failed', true))).item).toMatchObject({ event: 'RUN_FINISH', run: { status: 'failed' } });
	});

	it('only the selected events start a run', async () => {
		expect((await send(finished('canceled'), undefined, { events: ['RUN_START', 'RUN_FINISH'] })).body).toEqual({
			received: true,
			ignored: 'event RUN_CANCELED is not selected in this trigger',
		});
	});
});

describe('buildkite: pings and other events', () => {
	const ping = {
		event: 'ping',
		service: { id: 's', provider: 'webhook', settings: { url: 'https://n8n.example/webhook/x' } },
		organization: { slug: 'acme' },
		sender: { name: 'Dana' },
	};
	const other = (event: string) => ({ ...example(), event });

	it.each([
		['ping', ping],
		['build.scheduled', other('build.scheduled')],
		['build.failing', other('build.failing')],
		['build.skipped', other('build.skipped')],
		['job.finished', { ...other('job.finished'), job: { state: 'failed' } }],
		['agent.connected', { event: 'agent.connected', agent: { name: 'a1' } }],
	])('%s with a valid signature or token is 200 ignored; with a wrong one 401', async (event, payload) => {
		const body = JSON.stringify(payload);
		const ignored = { status: 200, body: { received: true, ignored: `Buildkite event ${JSON.stringify(event)} is not a run event` } };
		expect(await send(body)).toEqual(ignored);
		expect(await send(body, { 'x-buildkite-token': TOKEN })).toEqual(ignored);
		expect((await send(body, signed(body, 'another-token-0000001'))).status).toBe(401);
		expect((await send(body, { 'x-buildkite-token': 'another-token-0000001' })).status).toBe(401);
	});

	it('build.running and build.finished without a build are a 400 naming build', async () => {
		for (const event of ['build.running', 'build.finished']) {
			expect(await send({ event })).toEqual({ status: 400, body: { error: 'Payload does not match the buildkite schema: build: Required' } });
		}
	});

	it('the event comes from the signed body, not from the X-Buildkite-Event header', async () => {
		const body = FIXTURE;
		const outcome = await receiveDelivery({ headers: { 'x-buildkite-event': 'ping', ...signed(body) }, rawBody: Buffer.from(body) }, options());
		expect(outcome.item).toMatchObject({ event: 'RUN_FINISH' });
	});
});

describe('buildkite: the signature', () => {
	it('refuses a forged signature, a changed body, another token and a signature over the body alone', async () => {
		expect((await send(FIXTURE, { 'x-buildkite-signature': `timestamp=${SENT},signature=${'0'.repeat(64)}` })).status).toBe(401);
		expect((await send(FIXTURE.replace('"failed"', '"passed"'), signed(FIXTURE))).body.error).toBe(
			'Unauthorized: signature in header X-Buildkite-Signature does not match the body',
		);
		expect((await send(FIXTURE, signed(FIXTURE, `${TOKEN}x`))).status).toBe(401);
		const bodyOnly = createHmac('sha256', TOKEN).update(FIXTURE).digest('hex');
		expect((await send(FIXTURE, { 'x-buildkite-signature': `timestamp=${SENT},signature=${bodyOnly}` })).status).toBe(401);
	});

	it('a timestamp changed after signing is refused (it is signed)', async () => {
		const signature = hex(TOKEN, SENT, FIXTURE);
		expect((await send(FIXTURE, { 'x-buildkite-signature': `timestamp=${SENT + 1},signature=${signature}` })).status).toBe(401);
	});

	it('checks the timestamp as sent, leading zeros included', async () => {
		expect((await send(FIXTURE, signed(FIXTURE, TOKEN, `0${SENT}`))).status).toBe(200);
	});

	it.each([
		['301 s in the past', -301, /timestamp in header X-Buildkite-Signature is 301 s in the past; at most 300 s/],
		['301 s in the future', 301, /timestamp in header X-Buildkite-Signature is 301 s in the future; at most 300 s/],
	])('refuses a timestamp %s', async (_label, shift, reason) => {
		const outcome = await send(FIXTURE, signed(FIXTURE, TOKEN, SENT + 2 + shift));
		expect(outcome.status).toBe(401);
		expect(outcome.body.error).toMatch(reason);
	});

	it('accepts one 299 s old', async () => {
		expect((await send(FIXTURE, signed(FIXTURE, TOKEN, SENT + 2 - 299))).status).toBe(200);
	});

	const good = () => hex(TOKEN, SENT, FIXTURE);
	it.each([
		['empty', () => ''],
		['without the timestamp', () => `signature=${good()}`],
		['without the signature', () => `timestamp=${SENT}`],
		['with the timestamp twice', () => `timestamp=${SENT},timestamp=${SENT},signature=${good()}`],
		['with the signature twice', () => `timestamp=${SENT},signature=${good()},signature=${good()}`],
		['with an unknown part', () => `timestamp=${SENT},signature=${good()},v1=${good()}`],
		['with an empty part', () => `timestamp=${SENT},,signature=${good()}`],
		['with a part without =', () => `timestamp=${SENT},signature`],
		['with a sha256= prefix', () => `timestamp=${SENT},signature=sha256=${good()}`],
		['with a timestamp in milliseconds', () => `timestamp=${SENT}000,signature=${good()}`],
		['with a timestamp that is not digits', () => `timestamp=-${SENT},signature=${good()}`],
		['with a short signature', () => `timestamp=${SENT},signature=${good().slice(2)}`],
		['with a base64 signature', () => `timestamp=${SENT},signature=${Buffer.from(good(), 'hex').toString('base64')}`],
		['with ; instead of ,', () => `timestamp=${SENT};signature=${good()}`],
	])('a signature header %s is malformed: 401, even with the right token beside it', async (_label, value) => {
		const refusal = { status: 401, body: { error: 'Unauthorized: header X-Buildkite-Signature is not timestamp=<epoch seconds>,signature=<hex>' } };
		expect(await send(FIXTURE, { 'x-buildkite-signature': value() })).toEqual(refusal);
		expect(await send(FIXTURE, { 'x-buildkite-signature': value(), 'x-buildkite-token': TOKEN })).toEqual(refusal);
	});
});

describe('buildkite: the token, and both proofs at once', () => {
	it('accepts the token and the previous token while rotating; refuses a wrong one', async () => {
		expect((await send(FIXTURE, { 'x-buildkite-token': TOKEN })).status).toBe(200);
		expect((await send(FIXTURE, { 'x-buildkite-token': 'buildkite-old-token-01' }, { secrets: [TOKEN, 'buildkite-old-token-01'] })).status).toBe(200);
		expect(await send(FIXTURE, { 'x-buildkite-token': `${TOKEN} ` })).toEqual({
			status: 401,
			body: { error: 'Unauthorized: wrong token in header X-Buildkite-Token' },
		});
	});

	it('the signature decides when both come: a valid one with a wrong token is accepted, a wrong or stale one with the right token is refused', async () => {
		expect((await send(FIXTURE, { ...signed(FIXTURE), 'x-buildkite-token': 'not-the-token-at-all' })).status).toBe(200);
		expect((await send(FIXTURE, { ...signed(FIXTURE, 'another-token-0000001'), 'x-buildkite-token': TOKEN })).status).toBe(401);
		expect((await send(FIXTURE, { ...signed(FIXTURE, TOKEN, SENT - 1000), 'x-buildkite-token': TOKEN })).status).toBe(401);
	});

	it.each([
		['neither header', {}, 'missing header X-Buildkite-Signature or X-Buildkite-Token'],
		[
			'the signature header twice, with the right token',
			{ 'x-buildkite-signature': ['a', 'b'], 'x-buildkite-token': TOKEN },
			'header X-Buildkite-Signature is repeated',
		],
		['the token header twice', { 'x-buildkite-token': [TOKEN, TOKEN] }, 'header X-Buildkite-Token is repeated'],
	])('%s: 401 naming the header', async (_label, headers, reason) => {
		expect(await send(FIXTURE, headers as Record<string, string | string[]>)).toEqual({ status: 401, body: { error: `Unauthorized: ${reason}` } });
	});

	it.each([
		['signature', (body: string) => signed(body, '')],
		['token', () => ({ 'x-buildkite-token': '' })],
	])('an empty secret refuses a %s made with it', async (_label, headers) => {
		const outcome = await send(FIXTURE, headers(FIXTURE), { secrets: ['', ''] });
		expect(outcome.status).toBe(401);
		expect(outcome.body.error).toMatch(/the credential field secret is empty/);
	});
});

describe('buildkite: replays', () => {
	it('the same body again is a duplicate, whether resigned with a newer timestamp or sent with the token', async () => {
		const memory = new InProcessDeliveryMemory();
		expect((await send(FIXTURE, undefined, { memory })).item).toBeDefined();
		const duplicate = { status: 200, body: { received: true, duplicate: true } };
		expect(await send(FIXTURE, signed(FIXTURE, TOKEN, SENT + 1), { memory })).toEqual(duplicate);
		expect(await send(FIXTURE, { 'x-buildkite-token': TOKEN }, { memory })).toEqual(duplicate);
		expect((await send(finished('passed'), undefined, { memory })).item).toBeDefined();
	});
});

describe('buildkite: degenerate values never throw', () => {
	it('times beyond a date, a huge build number, huge arrays: null or passed through', async () => {
		const payload = example();
		payload.build.started_at = 1e20;
		payload.build.finished_at = '99999-01-01T00:00:00Z';
		payload.build.number = 1e20;
		payload.build.id = { nested: true };
		payload.build.meta_data = { list: new Array(100_000).fill('x') };
		const outcome = await send(payload);
		expect(outcome.status).toBe(200);
		expect(outcome.item!.run).toMatchObject({ id: null, name: 'Storefront E2E', startedAt: null, endedAt: null, durationMs: null });
	});

	it.each([
		[{ state: 3 }, 'build.state: Expected string, received number'],
		[{ blocked: 'yes' }, 'build.blocked: Expected boolean, received string'],
		[{ creator: 'Dana' }, 'build.creator: Expected object, received string'],
	])('a wrong type %j is a 400 naming the field', async (change, reason) => {
		const payload = example();
		Object.assign(payload.build, change);
		expect(await send(payload)).toEqual({ status: 400, body: { error: `Payload does not match the buildkite schema: ${reason}` } });
	});

	it('an event that is not text is a 400 naming event', async () => {
		expect((await send({ ...example(), event: ['build.finished'] })).body.error).toBe(
			'Payload does not match the buildkite schema: event: Expected string, received array',
		);
	});
});

describe('parseBuildkiteSignature (properties)', () => {
	const digest = fc.stringMatching(/^[0-9a-fA-F]{64}$/);
	const seconds = fc.integer({ min: 0, max: 999_999_999_999 }).map(String);
	const spaces = fc.stringMatching(/^[ \t]{0,3}$/);

	it("reads both parts in either order, whatever the spaces around them and the keys' case", () => {
		fc.assert(
			fc.property(
				seconds,
				digest,
				fc.boolean(),
				spaces,
				spaces,
				anyLetterCase('timestamp'),
				anyLetterCase('signature'),
				(timestamp, signature, swap, before, after, tKey, sKey) => {
					const parts = [`${before}${tKey}=${timestamp}${after}`, `${before}${sKey}=${signature}${after}`];
					const value = (swap ? parts.reverse() : parts).join(',');
					expect(parseBuildkiteSignature(value)).toEqual({ timestamp, signature: signature.toLowerCase() });
				},
			),
		);
	});

	it('refuses a list with any extra, repeated or missing part', () => {
		const part = fc.oneof(
			seconds.map((value) => `timestamp=${value}`),
			digest.map((value) => `signature=${value}`),
			fc.string({ maxLength: 12 }).filter((value) => !value.includes(',')),
		);
		fc.assert(
			fc.property(fc.array(part, { maxLength: 5 }), (parts) => {
				const keys = parts.map((value) => value.split('=')[0]);
				const wellFormed = parts.length === 2 && keys.includes('timestamp') && keys.includes('signature');
				fc.pre(!wellFormed);
				expect(parseBuildkiteSignature(parts.join(','))).toBeNull();
			}),
		);
	});

	it('a delivery signed by the recipe is accepted whatever the spacing and case of the header; any other digest is refused', async () => {
		await fc.assert(
			fc.asyncProperty(
				spaces,
				anyLetterCase('timestamp'),
				anyLetterCase('signature'),
				fc.boolean(),
				fc.option(digest),
				async (space, tKey, sKey, upperHex, other) => {
					const right = hex(TOKEN, SENT, FIXTURE);
					const signature = other ?? (upperHex ? right.toUpperCase() : right);
					const value = `${space}${tKey}=${SENT}${space},${space}${sKey}=${signature}${space}`;
					const outcome = await send(FIXTURE, { 'x-buildkite-signature': value });
					expect(outcome.status).toBe(other === null || other.toLowerCase() === right ? 200 : 401);
				},
			),
			{ numRuns: propertyRuns(50) },
		);
	});
});
