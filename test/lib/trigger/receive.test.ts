import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { deriveHookSecret, RUN_EVENTS } from '../../../lib/currents';
import { type Source, SOURCES as REGISTERED_SOURCES, parsePayload, sourceDefinition } from '../../../lib/sources';
import { InProcessDeliveryMemory, receiveDelivery, type ReceiveOptions, type ReceiveOutcome } from '../../../lib/trigger';
import { MIN_SECRET_BYTES } from '../../../lib/verify';
import { fixtureJson, fixtureText } from '../../support/fixtures';
import { githubWorkflowRunBody } from '../../support/github';
import { receiveOptions } from '../../support/receiveOptions';
import { forgedHeaders, senderHeaders } from '../../support/signing';
import { SIGNED_WEBHOOK_SETTINGS } from '../../support/signedWebhook';
import fc from 'fast-check';
import { z } from 'zod';
import { runPayload } from '../../support/recipeRuns';
import { propertyRuns } from '../../support/propertyRuns';
import { hostileBody as body, hostileHeaders as headers, hostileSecret as secret } from '../../support/arbitraries';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const autosanaBody = (timestamp: string) => fixtureText('autosana-batch.json').replace('2025-01-31T12:34:56.789Z', timestamp);
const circleciBody = (timestamp: string) => fixtureText('circleci-workflow-completed.json').replace('2026-10-20T09:44:12.318Z', timestamp);
const SOURCES: Source[] = [
	'currents',
	'cypressCloud',
	'maestro',
	'autosana',
	'githubActions',
	'gitlab',
	'circleci',
	'buildkite',
	'standardWebhooks',
	'signedWebhook',
];
const GOOD: Record<Source, string> = {
	currents: 'currents-shared-secret-1',
	cypressCloud: 'cypress-cloud-secret-01',
	githubActions: 'github-webhook-secret-1',
	maestro: 'maestro-project-token-01',
	autosana: 'autosana-signing-secret-1',
	gitlab: 'gitlab-secret-token-0001',
	circleci: 'circleci-signing-secret-1',
	buildkite: 'buildkite-webhook-token-1',
	standardWebhooks: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
	signedWebhook: 'signed-webhook-secret-1',
};
const BODY: Record<Source, () => string> = {
	currents: () => fixtureText('currents-run-finish.json'),
	cypressCloud: () => fixtureText('cypress-run-completed.json'),
	githubActions: githubWorkflowRunBody,
	maestro: () => fixtureText('maestro-upload.json'),
	autosana: () => autosanaBody(new Date(NOW).toISOString()),
	gitlab: () => fixtureText('gitlab-pipeline.json'),
	circleci: () => circleciBody(new Date(NOW).toISOString()),
	buildkite: () => fixtureText('buildkite-build-finished.json'),
	standardWebhooks: () => fixtureText('currents-run-finish.json'),
	signedWebhook: () => fixtureText('signed-webhook-run.json'),
};

function optionsFor(source: Source, secrets: string[], extra: Partial<ReceiveOptions> = {}): ReceiveOptions {
	return receiveOptions(source, secrets, NOW, { includeRawPayload: true, sourceParameters: SIGNED_WEBHOOK_SETTINGS, ...extra });
}

async function deliver(source: Source, proofSecret: string, secrets: string[], body = BODY[source](), extra: Partial<ReceiveOptions> = {}) {
	return await receiveDelivery({ headers: forgedHeaders(source, body, proofSecret, NOW), rawBody: Buffer.from(body) }, optionsFor(source, secrets, extra));
}

/** Secrets with less than 16 bytes of key material, as each source uses its secret. */
const DEGENERATE: Record<Source, Array<[string, string, RegExp]>> = Object.fromEntries(
	SOURCES.map((source) => [
		source,
		[
			['empty', '', /field secret is empty/],
			['whitespace only', ' \t\r\n ', /field secret is empty/],
			['one character', 'x', /field secret holds less than 16 bytes/],
			['15 bytes', 'a'.repeat(15), /field secret holds less than 16 bytes/],
			['15 bytes padded with spaces', `  ${'a'.repeat(15)}  `, /field secret holds less than 16 bytes/],
			['whsec_ with nothing after it', 'whsec_', /field secret holds less than 16 bytes/],
			...(source === 'standardWebhooks'
				? ([
						['whsec_ with 15 bytes of key', `whsec_${Buffer.alloc(15, 1).toString('base64')}`, /field secret holds less than 16 bytes/],
						['whsec_ with base64 that decodes to nothing', 'whsec_!!!!!!!!!!!!!!!!!!!!!!!!', /field secret holds less than 16 bytes/],
						['16 letters of text, 12 bytes as base64', 'abcdefghijklmnop', /field secret holds less than 16 bytes/],
					] as Array<[string, string, RegExp]>)
				: []),
		],
	]),
) as Record<Source, Array<[string, string, RegExp]>>;

describe.each(SOURCES)('secrets with too little key material (%s)', (source) => {
	it.each(DEGENERATE[source])('a %s secret refuses a request proven with that very secret, naming the field', async (_label, secret, reason) => {
		const outcome = await deliver(source, secret, [secret, '']);
		expect(outcome.status).toBe(401);
		expect(outcome.body.error).toMatch(reason);
		expect(outcome.body.error).toMatch(/refuses every request/);
		expect(outcome.item).toBeUndefined();
	});

	it('a tiny previousSecret refuses every request, even one proven with the good secret, naming previousSecret', async () => {
		const outcome = await deliver(source, GOOD[source], [GOOD[source], 'whsec_']);
		expect(outcome).toEqual({
			status: 401,
			body: { error: expect.stringMatching(/^Unauthorized: the credential field previousSecret holds less than 16 bytes/) },
		});
	});

	it.each([
		['empty', ''],
		['whitespace only', '   '],
	])('an %s previousSecret means there is none: the good secret is accepted, a proof made with the empty one is not', async (_label, previous) => {
		expect((await deliver(source, GOOD[source], [GOOD[source], previous])).status).toBe(200);
		if (source === 'maestro') return; // "Bearer " with nothing after it is not a token at all
		const forged = await deliver(source, previous, [GOOD[source], previous]);
		expect(forged.status).toBe(401);
		expect(forged.body.error).not.toMatch(/credential field/);
	});

	it('a previousSecret of its own is accepted during rotation', async () => {
		const previous = source === 'standardWebhooks' ? `whsec_${Buffer.alloc(16, 9).toString('base64')}` : 'previous-secret-0001';
		expect((await deliver(source, previous, [GOOD[source], previous])).status).toBe(200);
	});

	it('no secrets at all is the same as an empty secret', async () => {
		expect((await deliver(source, '', [])).body.error).toMatch(/field secret is empty/);
	});
});

describe('the minimum key material', () => {
	it(`is ${MIN_SECRET_BYTES} bytes: exactly 16 bytes of text are accepted, 15 refused`, async () => {
		expect(MIN_SECRET_BYTES).toBe(16);
		expect((await deliver('maestro', 'a'.repeat(16), ['a'.repeat(16)])).status).toBe(200);
		expect((await deliver('maestro', 'a'.repeat(15), ['a'.repeat(15)])).status).toBe(401);
	});

	it('counts bytes, not characters: eight two-byte letters are 16 bytes', async () => {
		expect((await deliver('currents', 'é'.repeat(8), ['é'.repeat(8)])).status).toBe(200);
	});

	it('counts the decoded key of a whsec_ secret: 16 bytes accepted', async () => {
		const secret = `whsec_${Buffer.alloc(16, 3).toString('base64')}`;
		expect((await deliver('standardWebhooks', secret, [secret])).status).toBe(200);
	});

	it('accepts a bare base64 Standard Webhooks key (without whsec_) and decodes it whole', async () => {
		const bare = Buffer.alloc(16, 4).toString('base64');
		expect((await deliver('standardWebhooks', bare, [bare])).status).toBe(200);
	});

	it('leaves the secret derived for automatic Currents registration working', async () => {
		const derived = deriveHookSecret('currents-api-key', 'wf-1', 'node-1');
		expect((await deliver('currents', derived, [derived])).status).toBe(200);
	});
});

describe('Autosana: the signed body timestamp', () => {
	const secret = GOOD.autosana;

	it.each(['not a time', '', '2026-11-24', '2026-11-24 12:00:00Z', '12:00:00', '2026-11-24T12:00:00+0900', '2026-13-24T12:00:00Z', ' 2026-11-24T12:00:00Z'])(
		'%j cannot be read: 401 naming the field, nothing started',
		async (timestamp) => {
			const outcome = await deliver('autosana', secret, [secret], autosanaBody(timestamp));
			expect(outcome).toEqual({ status: 401, body: { error: 'Unauthorized: body field timestamp is not an ISO 8601 date and time' } });
		},
	);

	it.each([
		['with Z', '2026-11-24T12:00:00Z'],
		['with an offset', '2026-11-24T21:00:00+09:00'],
		['with a negative offset and milliseconds', '2026-11-24T04:00:00.000-08:00'],
		['without seconds', '2026-11-24T12:00Z'],
		['without a zone, read as UTC', '2026-11-24T12:00:00'],
	])('%s is read as the same instant', async (_label, timestamp) => {
		const outcome = await deliver('autosana', secret, [secret], autosanaBody(timestamp));
		expect(outcome.status).toBe(200);
		expect(outcome.item!.run.endedAt).toBe('2026-11-24T12:00:00.000Z');
	});

	it('a readable timestamp outside the tolerance is refused by its field name', async () => {
		const outcome = await deliver('autosana', secret, [secret], autosanaBody('2026-11-24T11:54:59Z'));
		expect(outcome.body.error).toBe('Unauthorized: body field timestamp is 301 s in the past; at most 300 s is accepted');
	});

	it.each(['America/Los_Angeles', 'Asia/Tokyo'])('a timestamp without a zone is read as UTC whatever TZ is (TZ=%s)', (tz) => {
		// TZ only takes effect in a fresh process; the clock there is fixed to NOW.
		const script = `
			const { receiveDelivery } = require('./lib/trigger/receive');
			const { InProcessDeliveryMemory } = require('./lib/trigger/deduplication');
			const { createHmac } = require('node:crypto');
			const body = ${JSON.stringify(autosanaBody('2026-11-24T12:00:00'))};
			const signature = 'sha256=' + createHmac('sha256', ${JSON.stringify(secret)}).update(body).digest('hex');
			receiveDelivery({ headers: { 'x-autosana-signature-256': signature }, rawBody: Buffer.from(body) }, {
				source: 'autosana', events: ['RUN_FINISH'], secrets: [${JSON.stringify(secret)}], secretHeaderName: '',
				timestampToleranceSeconds: 300, deduplicationWindowSeconds: 600, includeRawPayload: false,
				memoryScope: 's', memory: new InProcessDeliveryMemory(), nowMs: ${NOW},
			}).then((outcome) => console.log(JSON.stringify({ offset: new Date(${NOW}).getTimezoneOffset(), status: outcome.status, endedAt: outcome.item && outcome.item.run.endedAt })));
		`;
		// tsx's own CLI, wherever node_modules is (a mutation-testing sandbox has none of its own).
		const tsx = require.resolve('tsx/cli');
		const output = execFileSync(process.execPath, [tsx, '-e', script], {
			cwd: join(__dirname, '..', '..', '..'),
			env: { ...process.env, TZ: tz },
			encoding: 'utf8',
		});
		const result = JSON.parse(output.trim()) as { offset: number; status: number; endedAt: string };
		expect(result.offset).not.toBe(0); // the zone really is not UTC in that process
		expect(result).toMatchObject({ status: 200, endedAt: '2026-11-24T12:00:00.000Z' });
	});
});

describe('Standard Webhooks headers', () => {
	const secret = GOOD.standardWebhooks;
	const body = BODY.standardWebhooks();
	const receive = (headers: Record<string, string>, options = optionsFor('standardWebhooks', [secret])) =>
		receiveDelivery({ headers, rawBody: Buffer.from(body) }, options);

	it.each([
		['empty', ''],
		['blank', '  '],
	])('an %s webhook-id, even correctly signed, is a bad request: 400 naming the header', async (_label, id) => {
		const outcome = await receive(forgedHeaders('standardWebhooks', body, secret, NOW, id));
		expect(outcome).toEqual({ status: 400, body: { error: 'header webhook-id is empty' } });
	});

	it.each(['', '1e9', '-1764000000', '1764000000.5', ' 1764000000', '0x6925', '１７６４００００００', '1764000000000000'])(
		'webhook-timestamp %j is not epoch seconds: 401 naming the header',
		async (stamp) => {
			const headers = { ...forgedHeaders('standardWebhooks', body, secret, NOW), 'webhook-timestamp': stamp };
			expect(await receive(headers)).toEqual({ status: 401, body: { error: 'Unauthorized: header webhook-timestamp is not epoch seconds' } });
		},
	);

	it('webhook-id is the delivery id and what deduplication remembers', async () => {
		const options = optionsFor('standardWebhooks', [secret]);
		const first = await receive(forgedHeaders('standardWebhooks', body, secret, NOW, 'msg_a'), options);
		expect(first.item!.deliveryId).toBe('msg_a');
		// The same bytes under another id: a different delivery.
		expect((await receive(forgedHeaders('standardWebhooks', body, secret, NOW, 'msg_b'), options)).item!.deliveryId).toBe('msg_b');
		// Re-signed a second later under the same id: the same delivery, sent again.
		const again = await receive(forgedHeaders('standardWebhooks', body, secret, NOW + 1000, 'msg_a'), options);
		expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
	});
});

describe('deduplication scope', () => {
	it('the same delivery in another scope (another trigger, or the test URL of the same one) is not a duplicate', async () => {
		const memory = new InProcessDeliveryMemory();
		const body = BODY.maestro();
		const atScope = (memoryScope: string) => deliver('maestro', GOOD.maestro, [GOOD.maestro], body, { memory, memoryScope });
		expect((await atScope('wf:node:manual')).status).toBe(200);
		expect((await atScope('wf:node:webhook')).item).toBeDefined();
		expect((await atScope('wf:node:webhook')).body).toEqual({ received: true, duplicate: true });
	});

	it('without a signed id, the body hash is the delivery id, per source', async () => {
		const outcome = await deliver('maestro', GOOD.maestro, [GOOD.maestro]);
		expect(outcome.item!.deliveryId).toMatch(/^maestro:[0-9a-f]{32}$/);
	});
});

describe('the hint for a secret that does not match', () => {
	const hint = 'Re-activate the workflow.';
	const secret = GOOD.currents;
	const body = BODY.currents();
	const receive = (headers: Record<string, string>) =>
		receiveDelivery({ headers, rawBody: Buffer.from(body) }, optionsFor('currents', [secret], { secretMismatchHint: hint }));

	it('follows a wrong secret', async () => {
		const outcome = await receive(forgedHeaders('currents', body, 'an-old-derived-secret', NOW));
		expect(outcome.body.error).toBe(`Unauthorized: wrong value in header x-webhook-secret. ${hint}`);
	});

	it.each([
		['a missing secret header', { 'x-timestamp': String(NOW) }],
		['a stale timestamp', { 'x-webhook-secret': secret, 'x-timestamp': String(NOW - 600_000) }],
	])('does not follow %s, which a new secret would not cure', async (_label, headers) => {
		const outcome = await receive(headers);
		expect(outcome.status).toBe(401);
		expect(outcome.body.error).not.toContain(hint);
	});

	it.each<[Source, (secret: string) => string]>([
		['maestro', () => 'wrong-token-0000000'],
		['autosana', () => 'wrong-signing-secret-01'],
		['standardWebhooks', () => `whsec_${Buffer.alloc(32, 8).toString('base64')}`],
	])('is added for a mismatch from %s too', async (source, wrong) => {
		const outcome = await deliver(source, wrong(GOOD[source]), [GOOD[source]], BODY[source](), { secretMismatchHint: hint });
		expect(outcome.body.error).toMatch(new RegExp(`^Unauthorized: .* ${hint.replace('.', '\\.')}$`));
	});
});

describe('each source: the proof headers, edge by edge', () => {
	const at = (
		source: Source,
		headers: Record<string, string | string[]>,
		secrets: string[] = [GOOD[source]],
		body = BODY[source](),
		extra: Partial<ReceiveOptions> = {},
	) => receiveDelivery({ headers, rawBody: Buffer.from(body) }, optionsFor(source, secrets, extra));
	const errorOf = async (...args: Parameters<typeof at>) => (await at(...args)).body.error;

	it('Currents: x-timestamp in ms or s, exactly at the tolerance, and refusals that name the header', async () => {
		const secret = GOOD.currents;
		const headers = (stamp?: string) => ({ 'x-webhook-secret': secret, ...(stamp === undefined ? {} : { 'x-timestamp': stamp }) });
		expect((await at('currents', headers(String(NOW)))).status).toBe(200);
		expect((await at('currents', headers(String(NOW / 1000)), undefined, BODY.currents().replace('"RUN_FINISH"', '"RUN_FINISH" '))).status).toBe(200);
		expect((await at('currents', headers(String(NOW - 300_000)), undefined, `${BODY.currents()} `)).status).toBe(200);
		expect(await errorOf('currents', headers(String(NOW - 301_000)))).toBe('Unauthorized: header x-timestamp is 301 s in the past; at most 300 s is accepted');
		expect(await errorOf('currents', headers(String(NOW + 301_000)))).toBe(
			'Unauthorized: header x-timestamp is 301 s in the future; at most 300 s is accepted',
		);
		expect(await errorOf('currents', headers())).toBe('Unauthorized: missing header x-timestamp');
		for (const stamp of ['soon', '', '1.5', '12345678901234567'])
			expect(await errorOf('currents', headers(stamp))).toBe('Unauthorized: header x-timestamp is not an epoch time');
		expect(await errorOf('currents', { 'x-timestamp': String(NOW) })).toBe('Unauthorized: missing header x-webhook-secret');
		expect(await errorOf('currents', { 'X-Webhook-Secret': secret.toUpperCase(), 'x-timestamp': String(NOW) })).toBe(
			'Unauthorized: wrong value in header x-webhook-secret',
		);
		expect(await errorOf('currents', { 'x-webhook-secret': `${secret}x`, 'x-timestamp': String(NOW) })).toBe(
			'Unauthorized: wrong value in header x-webhook-secret',
		);
	});

	it('headers are matched case-insensitively; a header sent twice counts as missing, once in a list as sent', async () => {
		const secret = GOOD.currents;
		expect((await at('currents', { 'X-WEBHOOK-SECRET': secret, 'X-Timestamp': String(NOW) })).status).toBe(200);
		expect((await at('currents', { 'x-webhook-secret': [secret], 'x-timestamp': String(NOW) }, undefined, `${BODY.currents()}\n`)).status).toBe(200);
		expect(await errorOf('currents', { 'x-webhook-secret': [secret, secret], 'x-timestamp': String(NOW) })).toBe(
			'Unauthorized: missing header x-webhook-secret',
		);
	});

	it('Currents: x-timestamp surrounded by spaces is read; 10^11 and above are milliseconds, below are seconds', async () => {
		const secret = GOOD.currents;
		expect((await at('currents', { 'x-webhook-secret': secret, 'x-timestamp': ` ${NOW} ` })).status).toBe(200);
		// 10^11 ms is in 1973; read as seconds it would be thousands of years ahead.
		const edge = await errorOf('currents', { 'x-webhook-secret': secret, 'x-timestamp': '100000000000' });
		expect(edge).toBe(`Unauthorized: header x-timestamp is ${Math.round((NOW - 1e11) / 1000)} s in the past; at most 300 s is accepted`);
		const below = await errorOf('currents', { 'x-webhook-secret': secret, 'x-timestamp': '99999999999' });
		expect(below).toMatch(/^Unauthorized: header x-timestamp is \d+ s in the future;/);
	});

	it('a header sent twice under a name in another case counts as missing, once in a list as sent', async () => {
		const secret = GOOD.currents;
		expect((await at('currents', { 'X-Webhook-Secret': [secret], 'x-timestamp': String(NOW) })).status).toBe(200);
		expect(await errorOf('currents', { 'X-Webhook-Secret': [secret, secret], 'x-timestamp': String(NOW) })).toBe(
			'Unauthorized: missing header x-webhook-secret',
		);
	});

	it('the current secret is accepted while a previous one is set, and each of two is checked', async () => {
		const previous = 'previous-secret-0001';
		expect((await at('maestro', { authorization: `Bearer ${GOOD.maestro}` }, [GOOD.maestro, previous])).status).toBe(200);
		expect((await at('maestro', { authorization: `Bearer ${previous}` }, [GOOD.maestro, previous], `${BODY.maestro()} `)).status).toBe(200);
	});

	it('Maestro: the Bearer scheme in any case, and refusals that name the header', async () => {
		expect((await at('maestro', { authorization: `bearer   ${GOOD.maestro}` })).status).toBe(200);
		expect(await errorOf('maestro', {})).toBe('Unauthorized: missing header Authorization');
		expect(await errorOf('maestro', { authorization: `Basic ${GOOD.maestro}` })).toBe('Unauthorized: header Authorization is not a Bearer token');
		expect(await errorOf('maestro', { authorization: `Bearer${GOOD.maestro}` })).toBe('Unauthorized: header Authorization is not a Bearer token');
		expect(await errorOf('maestro', { authorization: `x Bearer ${GOOD.maestro}` })).toBe('Unauthorized: header Authorization is not a Bearer token');
		expect(await errorOf('maestro', { authorization: `Bearer ${GOOD.maestro} x` })).toBe('Unauthorized: wrong token in header Authorization');
		expect((await at('maestro', { authorization: `  Bearer ${GOOD.maestro}  ` }, undefined, `${BODY.maestro()} `)).status).toBe(200);
		expect(await errorOf('maestro', { authorization: `Bearer ${GOOD.maestro}\nx` })).toBe('Unauthorized: header Authorization is not a Bearer token');
	});

	it('Autosana: hex in either case, and refusals that name the header', async () => {
		const body = BODY.autosana();
		const signed = forgedHeaders('autosana', body, GOOD.autosana)['X-Autosana-Signature-256'];
		expect((await at('autosana', { 'x-autosana-signature-256': signed.toUpperCase().replace('SHA256=', 'sha256=') })).status).toBe(200);
		expect(await errorOf('autosana', {})).toBe('Unauthorized: missing header X-Autosana-Signature-256');
		expect(await errorOf('autosana', { 'x-autosana-signature-256': signed.slice('sha256='.length) })).toBe(
			'Unauthorized: header X-Autosana-Signature-256 does not start with sha256=',
		);
		expect(await errorOf('autosana', { 'x-autosana-signature-256': `x${signed}` })).toBe(
			'Unauthorized: header X-Autosana-Signature-256 does not start with sha256=',
		);
		expect(await errorOf('autosana', { 'x-autosana-signature-256': `${signed}0` })).toBe(
			'Unauthorized: signature in header X-Autosana-Signature-256 does not match the body',
		);
	});

	it('Standard Webhooks: refusals that name the header, and any v1 entry of the list may match', async () => {
		const body = BODY.standardWebhooks();
		const signed = forgedHeaders('standardWebhooks', body, GOOD.standardWebhooks, NOW, 'msg_list');
		const without = (name: string) => Object.fromEntries(Object.entries(signed).filter(([key]) => key !== name));
		expect(await errorOf('standardWebhooks', without('webhook-id'))).toBe('Unauthorized: missing header webhook-id');
		expect(await errorOf('standardWebhooks', without('webhook-timestamp'))).toBe('Unauthorized: missing header webhook-timestamp');
		expect(await errorOf('standardWebhooks', without('webhook-signature'))).toBe('Unauthorized: missing header webhook-signature');
		const signature = signed['webhook-signature'];
		expect(await errorOf('standardWebhooks', { ...signed, 'webhook-signature': signature.replace('v1,', 'v2,') })).toBe(
			'Unauthorized: header webhook-signature has no v1 signature',
		);
		expect(await errorOf('standardWebhooks', { ...signed, 'webhook-signature': `x${signature}` })).toBe(
			'Unauthorized: header webhook-signature has no v1 signature',
		);
		expect(await errorOf('standardWebhooks', { ...signed, 'webhook-signature': `${signature}x` })).toMatch(
			/^Unauthorized: no signature in header webhook-signature matches the body/,
		);
		expect((await at('standardWebhooks', { ...signed, 'webhook-signature': `v1,AAAA v2,${signature.slice(3)} ${signature}` })).status).toBe(200);
		const stale = forgedHeaders('standardWebhooks', body, GOOD.standardWebhooks, NOW - 301_000, 'msg_stale');
		expect(await errorOf('standardWebhooks', stale)).toBe('Unauthorized: header webhook-timestamp is 301 s in the past; at most 300 s is accepted');
		const edge = forgedHeaders('standardWebhooks', body, GOOD.standardWebhooks, NOW + 300_000, 'msg_edge');
		expect((await at('standardWebhooks', edge)).status).toBe(200);
	});
});

describe('after the proof: body, event filter, deduplication, item', () => {
	const secret = GOOD.maestro;
	const at = (body: string, extra: Partial<ReceiveOptions> = {}) =>
		receiveDelivery({ headers: { authorization: `Bearer ${secret}` }, rawBody: Buffer.from(body) }, optionsFor('maestro', [secret], extra));

	it('invalid JSON is 400 and says so', async () => {
		const outcome = await at('{"id":');
		expect(outcome.status).toBe(400);
		expect(outcome.body.error).toMatch(/^Invalid JSON: /);
	});

	it('a body that breaks the schema is 400 naming the source and the field', async () => {
		expect(await at('{"id": 5, "flows": []}')).toEqual({
			status: 400,
			body: { error: 'Payload does not match the maestro schema: id: Expected string, received number' },
		});
	});

	it('an event that is not selected is acknowledged and ignored', async () => {
		expect(await at(BODY.maestro(), { events: ['RUN_START'] })).toEqual({
			status: 200,
			body: { received: true, ignored: 'event RUN_FINISH is not selected in this trigger' },
		});
	});

	it('the item: event, source, delivery id from the body hash, receivedAt from the clock, raw only when asked', async () => {
		const body = BODY.maestro();
		const outcome = await at(body);
		expect(outcome).toMatchObject({ status: 200, body: { received: true } });
		const { createHash } = await import('node:crypto');
		expect(outcome.item).toMatchObject({
			event: 'RUN_FINISH',
			source: 'maestro',
			deliveryId: `maestro:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`,
			receivedAt: new Date(NOW).toISOString(),
			raw: JSON.parse(body),
		});
		expect((await at(`${body} `, { includeRawPayload: false })).item).not.toHaveProperty('raw');
	});

	it('the deduplication window is in seconds: a delivery is a duplicate until it has passed', async () => {
		const memory = new InProcessDeliveryMemory();
		const body = BODY.maestro();
		const options = (nowMs: number) => ({ memory, nowMs, deduplicationWindowSeconds: 60 });
		expect((await at(body, options(NOW))).item).toBeDefined();
		expect((await at(body, options(NOW + 59_999))).body).toEqual({ received: true, duplicate: true });
		expect((await at(body, options(NOW + 60_000))).item).toBeDefined();
	});

	it('when the deduplication memory cannot be asked: 503, nothing started, the cause kept for the log', async () => {
		const memory = { firstSeen: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) };
		expect(await at(BODY.maestro(), { memory })).toEqual({
			status: 503,
			body: { error: 'Deduplication is unavailable, the delivery was not accepted; retry later' },
			cause: 'connect ECONNREFUSED 127.0.0.1:6379',
		});
	});

	it('an Autosana delivery out of tolerance is refused before the event filter looks at it', async () => {
		const body = autosanaBody('2026-11-24T11:00:00Z');
		const headers = forgedHeaders('autosana', body, GOOD.autosana);
		const outcome = await receiveDelivery({ headers, rawBody: Buffer.from(body) }, optionsFor('autosana', [GOOD.autosana], { events: ['RUN_START'] }));
		expect(outcome.status).toBe(401);
	});
});

describe('receiveDelivery through the trigger node: properties', () => {
	function expectAnswer(outcome: ReceiveOutcome): void {
		expect([200, 400, 401]).toContain(outcome.status);
		if (outcome.status === 200) expect(outcome.body.received).toBe(true);
		else expect(typeof outcome.body.error).toBe('string');
		if (outcome.item) expect(outcome.status).toBe(200);
	}

	describe('trigger requests: properties', () => {
		const memory = new InProcessDeliveryMemory();
		const nowMs = Date.UTC(2026, 10, 24, 12, 0, 0);
		const optionsFor = (source: Source, secrets: string[]) => ({
			source,
			events: [...RUN_EVENTS],
			secrets,
			secretHeaderName: 'x-webhook-secret',
			sourceParameters: SIGNED_WEBHOOK_SETTINGS,
			timestampToleranceSeconds: 300,
			deduplicationWindowSeconds: 600,
			includeRawPayload: true,
			memoryScope: 'wf:node:webhook',
			memory,
			nowMs,
		});

		it('any headers, body and secrets: only 200, 400 or 401 comes out, never an exception', async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.constantFrom(...REGISTERED_SOURCES),
					headers,
					body,
					fc.array(secret, { maxLength: 3 }),
					async (source, requestHeaders, requestBody, secrets) => {
						const outcome = await receiveDelivery({ headers: requestHeaders, rawBody: Buffer.from(requestBody) }, optionsFor(source, secrets));
						expectAnswer(outcome);
					},
				),
				{ numRuns: propertyRuns(600) },
			);
		});

		it('correctly signed requests with any body and secret get past the proof: the body alone decides, still only 200, 400 or 401', async () => {
			await fc.assert(
				fc.asyncProperty(fc.constantFrom(...REGISTERED_SOURCES), body, secret, fc.string({ maxLength: 40 }), async (source, requestBody, key, id) => {
					const signed = forgedHeaders(source, requestBody, key, nowMs, id);
					const outcome = await receiveDelivery({ headers: signed, rawBody: Buffer.from(requestBody) }, optionsFor(source, [key, '']));
					expectAnswer(outcome);
				}),
				{ numRuns: propertyRuns(600) },
			);
		});
	});
});

describe('receiveDelivery: any value in any payload field, every source', () => {
	/**
	 * Issue 24 items 12 and 13, for every source: a genuine (correctly signed) delivery whose body
	 * holds any JSON value in any field is answered 200, 400 or 401 — never a throw (n8n would
	 * answer 500 and the platform retry forever) — its item holds only values in range, and every
	 * 400 names the field at fault.
	 */

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
	const json = (name: string) => fixtureJson(name) as Json;

	/** A genuine body of each source (Standard Webhooks: both shapes it takes). */
	const BASES: Array<[Source, Json]> = [
		['currents', json('currents-run-finish.json')],
		['maestro', json('maestro-upload.json')],
		['autosana', { ...(json('autosana-batch.json') as object), timestamp: new Date(NOW).toISOString() }],
		['cypressCloud', json('cypress-run-completed.json')],
		['githubActions', JSON.parse(githubWorkflowRunBody('failure')) as Json],
		['standardWebhooks', runPayload({ status: 'failed', failures: 3 }) as unknown as Json],
		['standardWebhooks', json('currents-run-finish.json')],
		['gitlab', json('gitlab-pipeline.json')],
		['circleci', { ...(json('circleci-workflow-completed.json') as object), happened_at: new Date(NOW).toISOString() }],
		['buildkite', json('buildkite-build-finished.json')],
		['signedWebhook', json('signed-webhook-run.json')],
	];

	it('covers every source', () => {
		expect(new Set(BASES.map(([source]) => source))).toEqual(new Set(REGISTERED_SOURCES));
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
		'1e20',
		'-1e20',
		'1e400',
		'-1e400',
		'1e-400',
		'-0',
		'-1',
		'0.5',
		'9007199254740993',
		'1e308',
		'"1e20"',
		'"NaN"',
		'"Infinity"',
		'"-1"',
		'""',
		'" "',
		'"\\r\\n"',
		'"../../etc"',
		'"%0d%0a"',
		'"__proto__"',
		'"constructor"',
		'"2026-02-30T25:61:00Z"',
		'"+275760-09-13T00:00:00.001Z"',
		'"-271821-04-19T00:00:00Z"',
		'"9999-12-31T23:59:59.999999999Z"',
		'"0000-01-01T00:00:00Z"',
		'"2026-11-24T12:00:00+99:99"',
		`"${'9'.repeat(400)}"`,
		`"${'x'.repeat(200_000)}"`,
		`[${'1,'.repeat(50_000)}1]`,
		`[${'"a",'.repeat(50_000)}"a"]`,
		`${'['.repeat(5000)}${']'.repeat(5000)}`,
		`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
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
					{ numRuns: propertyRuns(200) },
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
			[
				'Standard Webhooks item with a failure name that is a number',
				ITEM,
				['run', 'failures', 2, 'name'],
				5,
				'run.failures.2.name: Expected string, received number',
			],
			[
				'Standard Webhooks item with an unknown status',
				ITEM,
				['run', 'status'],
				'exploded',
				"run.status: Invalid enum value. Expected 'running' | 'passed' | 'failed' | 'timedOut' | 'canceled', received \"exploded\"",
			],
			['Standard Webhooks item without event', ITEM, ['event'], REMOVED, 'event: Required'],
			['Standard Webhooks Currents event without overall', CURRENTS_SHAPED, ['overall'], REMOVED, 'overall: Required'],
			[
				'Standard Webhooks Currents event with a commit sha that is a number',
				CURRENTS_SHAPED,
				['commit', 'sha'],
				5,
				'commit.sha: Expected string, received number',
			],
			['Currents without passes', CURRENTS, ['passes'], REMOVED, 'passes: Required'],
			['Currents with passes beyond 2^53', CURRENTS, ['passes'], raw('1e20'), 'passes: Number must be less than or equal to 9007199254740991'],
			['Currents with a tag that is a number', CURRENTS, ['tags', 1], 7, 'tags.1: Expected string, received number'],
			['Maestro without id', MAESTRO, ['id'], REMOVED, 'id: Required'],
			['Maestro with startTime as text', MAESTRO, ['startTime'], '1e20', 'startTime: Expected number, received string'],
			['Maestro with a flow without status', MAESTRO, ['flows', 2, 'status'], REMOVED, 'flows.2.status: Required'],
			['Maestro with a flow tag that is an object', MAESTRO, ['flows', 1, 'tags', 0], { a: 1 }, 'flows.1.tags.0: Expected string, received object'],
			['Autosana without summary.failed_groups', AUTOSANA, ['summary', 'failed_groups'], REMOVED, 'summary.failed_groups: Required'],
			[
				'Autosana with a run status that is a number',
				AUTOSANA,
				['run_groups', 1, 'runs', 0, 'status'],
				0,
				'run_groups.1.runs.0.status: Expected string, received number',
			],
			['Cypress Cloud without status', CYPRESS, ['status'], REMOVED, 'status: Required'],
			['Cypress Cloud with a tag that is a number', CYPRESS, ['tags', 0], 1, 'tags.0: Expected string, received number'],
			['GitHub Actions without workflow_run', GITHUB, ['workflow_run'], REMOVED, 'workflow_run: Required'],
			[
				'GitHub Actions with a commit author name that is a number',
				GITHUB,
				['workflow_run', 'head_commit', 'author', 'name'],
				1,
				'workflow_run.head_commit.author.name: Expected string, received number',
			],
		];

		it.each(cases)('%s', async (_name, index, path, value, reason) => {
			const [source, base] = BASES[index];
			expect(await receive(source, mutated(base, path, value))).toEqual({
				status: 400,
				body: { error: `Payload does not match the ${source} schema: ${reason}` },
			});
		});

		it('names the field in the union branch the body fits best, not the union (for a source whose schema is one)', () => {
			const schema = z.union([
				z.object({ kind: z.literal('a'), a: z.object({ b: z.object({ c: z.number() }) }) }),
				z.object({ kind: z.literal('b'), d: z.number() }),
			]);
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

	describe("a value beyond its type's range is null in the item (issue 24 item 12)", () => {
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

		it.each([['yesterday'], ['+275760-09-13T00:00:00.001Z'], ['2026-11-24T12:00:00+99:99'], ['']])(
			'a Standard Webhooks item time of %j is null',
			async (value) => {
				expect((await itemOf(ITEM, ['run', 'startedAt'], value)).startedAt).toBeNull();
			},
		);

		it.each([
			['runNumber', '1e20'],
			['runNumber', '-0.5'],
			['projectId', '1e400'],
		])('a Cypress Cloud id %s of %s that a number cannot hold exactly is null', async (field, value) => {
			const run = await itemOf(CYPRESS, [field], raw(value));
			expect(field === 'runNumber' ? run.id : run.app!.id).toBeNull();
		});

		it('a GitHub Actions run id beyond 2^53 is null, not rounded digits', async () => {
			expect((await itemOf(GITHUB, ['workflow_run', 'id'], raw('30433642435000000001'))).id).toBeNull();
		});
	});
});
