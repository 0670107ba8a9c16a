import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveHookSecret, RUN_EVENTS } from '../../lib/currents';
import type { Source } from '../../lib/normalize';
import { InProcessDeliveryMemory } from '../../lib/trigger/deduplication';
import { receiveDelivery, type ReceiveOptions } from '../../lib/trigger/receive';
import { MIN_SECRET_BYTES } from '../../lib/verify/verifiers';
import { forgedHeaders } from '../support/signing';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
const autosanaBody = (timestamp: string) => fixture('autosana-batch.json').replace('2025-01-31T12:34:56.789Z', timestamp);
const SOURCES: Source[] = ['currents', 'maestro', 'autosana', 'standardWebhooks'];
const GOOD: Record<Source, string> = {
	currents: 'currents-shared-secret-1',
	maestro: 'maestro-project-token-01',
	autosana: 'autosana-signing-secret-1',
	standardWebhooks: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
};
const BODY: Record<Source, () => string> = {
	currents: () => fixture('currents-run-finish.json'),
	maestro: () => fixture('maestro-upload.json'),
	autosana: () => autosanaBody(new Date(NOW).toISOString()),
	standardWebhooks: () => fixture('currents-run-finish.json'),
};

function optionsFor(source: Source, secrets: string[], extra: Partial<ReceiveOptions> = {}): ReceiveOptions {
	return {
		source,
		events: [...RUN_EVENTS],
		secrets,
		secretHeaderName: 'x-webhook-secret',
		timestampToleranceSeconds: 300,
		deduplicationWindowSeconds: 600,
		includeRawPayload: true,
		memoryScope: 'wf:node:webhook',
		memory: new InProcessDeliveryMemory(),
		nowMs: NOW,
		...extra,
	};
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
		expect(outcome).toEqual({ status: 401, body: { error: expect.stringMatching(/^Unauthorized: the credential field previousSecret holds less than 16 bytes/) } });
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
		const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
		const output = execFileSync(tsx, ['-e', script], { cwd: join(__dirname, '..', '..'), env: { ...process.env, TZ: tz }, encoding: 'utf8' });
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
		expect(outcome.body.error).toBe(`Unauthorized: wrong value in header x-webhook-secret ${hint}`);
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
