import fc from 'fast-check';
import { InProcessDeliveryMemory, receiveDelivery, type ReceiveOptions } from '../../../lib/trigger';
import { presentedSignatures } from '../../../lib/verify';
import { fixtureText } from '../../support/fixtures';
import { receiveOptions } from '../../support/receiveOptions';
import {
	SIGNED_WEBHOOK_SETTINGS,
	signByRecipe,
	type RecipeAlgorithm,
	type RecipeContent,
	type RecipeEncoding,
	type SignerScheme,
} from '../../support/signedWebhook';
import { propertyRuns } from '../../support/propertyRuns';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const SECONDS = String(NOW / 1000);
const SECRET = 'signed-webhook-secret-1';
const BODY = fixtureText('signed-webhook-run.json');

type Settings = Record<string, unknown>;

const sign = (scheme: SignerScheme, secret: string, body: string, id: string, timestamp: string) => signByRecipe(scheme, secret, { body, id, timestamp });

/** The shared test settings (sha256, hex, `sha256=`, `{timestamp}.{body}`) signed from the recipe. */
function headersFor(body = BODY, { secret = SECRET, timestamp = SECONDS, id = 'dlv_1' } = {}): Record<string, string> {
	const signature = sign({ algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', content: '{timestamp}.{body}' }, secret, body, id, timestamp);
	return { 'x-signature': signature, 'x-signature-timestamp': timestamp, 'x-delivery-id': id };
}

const optionsWith = (settings: Settings, extra: Partial<ReceiveOptions> = {}): ReceiveOptions =>
	receiveOptions('signedWebhook', [SECRET, ''], NOW, { sourceParameters: settings, includeRawPayload: true, ...extra });

const receive = async (
	headers: Record<string, string | string[]>,
	body = BODY,
	settings: Settings = SIGNED_WEBHOOK_SETTINGS,
	extra: Partial<ReceiveOptions> = {},
) => await receiveDelivery({ headers, rawBody: Buffer.from(body) }, optionsWith(settings, extra));

const errorOf = (outcome: { body: Record<string, unknown> }) => outcome.body.error as string;

describe('signedWebhook: the proof, for every algorithm, encoding and signed content', () => {
	const scheme = fc.record({
		algorithm: fc.constantFrom<RecipeAlgorithm>('sha256', 'sha512', 'sha1'),
		encoding: fc.constantFrom<RecipeEncoding>('hex', 'base64'),
		prefix: fc.constantFrom('', 'sha256=', 'v1=', 'SHA512:', 'v1,'),
		content: fc.constantFrom<RecipeContent>('{body}', '{timestamp}.{body}', '{id}.{timestamp}.{body}'),
	});
	const settingsOf = (s: SignerScheme) => ({
		...SIGNED_WEBHOOK_SETTINGS,
		signatureAlgorithm: s.algorithm,
		signatureEncoding: s.encoding,
		signaturePrefix: s.prefix,
		signedContent: s.content,
	});
	const secret = fc.string({ minLength: 16, maxLength: 40 }).filter((text) => Buffer.byteLength(text.trim()) >= 16 && text === text.trim());
	const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
	const timestamp = fc.constantFrom(SECONDS, String(NOW), String(NOW / 1000 - 299), String(NOW + 299_000));

	it('accepts what the recipe signs, whatever the combination, secret, id and timestamp unit', async () => {
		await fc.assert(
			fc.asyncProperty(scheme, secret, id, timestamp, async (s, key, deliveryId, stamp) => {
				const headers = { 'x-signature': sign(s, key, BODY, deliveryId, stamp), 'x-signature-timestamp': stamp, 'x-delivery-id': deliveryId };
				const outcome = await receive(headers, BODY, settingsOf(s), { secrets: [key, ''] });
				expect(outcome.status).toBe(200);
				expect(outcome.item).toMatchObject({ event: 'RUN_FINISH', deliveryId: `signedWebhook:${deliveryId}` });
			}),
			{ numRuns: propertyRuns(150) },
		);
	});

	it('refuses the same signature with any one character of it changed, or made with another secret', async () => {
		await fc.assert(
			fc.asyncProperty(scheme, fc.nat(), async (s, position) => {
				const signature = sign(s, SECRET, BODY, 'dlv_1', SECONDS);
				const at = s.prefix.length + (position % (signature.length - s.prefix.length));
				// '0' and '1' differ in value in hex (where case does not count) and in base64.
				const replacement = signature[at] === '0' ? '1' : '0';
				const changed = signature.slice(0, at) + replacement + signature.slice(at + 1);
				const headers = { 'x-signature-timestamp': SECONDS, 'x-delivery-id': 'dlv_1' };
				expect((await receive({ ...headers, 'x-signature': changed }, BODY, settingsOf(s))).status).toBe(401);
				const forged = sign(s, `${SECRET}-other`, BODY, 'dlv_1', SECONDS);
				const outcome = await receive({ ...headers, 'x-signature': forged }, BODY, settingsOf(s));
				expect(outcome.status).toBe(401);
			}),
			{ numRuns: propertyRuns(120) },
		);
	});

	it('finds the valid signature in a list separated by spaces or commas, with others and any case of prefix around it', async () => {
		const noise = fc.constantFrom('sha256=00', 'sha1=abc', 'v0=zz', 'sha256=', '', 't=1700000000', `sha256=${'f'.repeat(64)}`);
		await fc.assert(
			fc.asyncProperty(
				fc.array(noise, { maxLength: 4 }),
				fc.array(noise, { maxLength: 4 }),
				fc.constantFrom(' ', ',', ', ', '  ,\t'),
				fc.boolean(),
				async (before, after, separator, upper) => {
					const signature = headersFor()['x-signature'];
					const presented = upper ? `SHA256=${signature.slice('sha256='.length)}` : signature;
					const list = [...before, presented, ...after].join(separator);
					expect((await receive({ ...headersFor(), 'x-signature': list })).status).toBe(200);
				},
			),
			{ numRuns: propertyRuns(100) },
		);
	});

	it('splits only on spaces when the prefix holds a comma (v1,<base64>)', () => {
		expect(presentedSignatures('v1,abc v1,def v2,x', 'v1,')).toEqual(['abc', 'def']);
		expect(presentedSignatures('sha256=abc,SHA256=def  sha1=x', 'sha256=')).toEqual(['abc', 'def']);
		expect(presentedSignatures('abc, def', '')).toEqual(['abc', 'def']);
	});

	it('reads hex in either case, but base64 only as written (a re-encoded variant is no signature)', async () => {
		const upper = headersFor();
		upper['x-signature'] = `sha256=${upper['x-signature'].slice(7).toUpperCase()}`;
		expect((await receive(upper)).status).toBe(200);
		const settings = { ...SIGNED_WEBHOOK_SETTINGS, signatureEncoding: 'base64', signaturePrefix: '' };
		const base64 = sign({ algorithm: 'sha256', encoding: 'base64', prefix: '', content: '{timestamp}.{body}' }, SECRET, BODY, '', SECONDS);
		const headers = { 'x-signature-timestamp': SECONDS, 'x-delivery-id': 'dlv_1' };
		expect((await receive({ ...headers, 'x-signature': base64 }, BODY, settings)).status).toBe(200);
		const unpadded = base64.replace(/=+$/, '');
		const urlSafe = base64.replace(/\+/g, '-').replace(/\//g, '_');
		expect(errorOf(await receive({ ...headers, 'x-signature': unpadded }, BODY, settings))).toMatch(/holds no signature of the form <base64 HMAC-SHA256>/);
		if (urlSafe !== base64) expect((await receive({ ...headers, 'x-signature': urlSafe }, BODY, settings)).status).toBe(401);
	});

	it('refuses a signature made with another algorithm than configured (SHA-1 where SHA-256 is set, and SHA-512 cut to length)', async () => {
		const headers = headersFor();
		const sha1 = sign({ algorithm: 'sha1', encoding: 'hex', prefix: 'sha256=', content: '{timestamp}.{body}' }, SECRET, BODY, '', SECONDS);
		expect(errorOf(await receive({ ...headers, 'x-signature': sha1 }))).toMatch(/holds no signature of the form sha256=<hex HMAC-SHA256>/);
		const sha512 = sign({ algorithm: 'sha512', encoding: 'hex', prefix: 'sha256=', content: '{timestamp}.{body}' }, SECRET, BODY, '', SECONDS).slice(0, 71);
		expect(errorOf(await receive({ ...headers, 'x-signature': sha512 }))).toMatch(/^Unauthorized: no signature in header X-Signature matches the body/);
	});
});

describe('signedWebhook: refusals', () => {
	it.each([
		['the signature header is missing', { 'x-signature': undefined }, /missing header X-Signature/],
		['the signature header is repeated', { 'x-signature': [headersFor()['x-signature'], headersFor()['x-signature']] }, /missing header X-Signature/],
		['the prefix is wrong', { 'x-signature': `sha1=${headersFor()['x-signature'].slice(7)}` }, /holds no signature of the form sha256=/],
		['the timestamp header is missing', { 'x-signature-timestamp': undefined }, /missing header X-Signature-Timestamp/],
		['the timestamp is not a number', { 'x-signature-timestamp': '2026-11-24T12:00:00Z' }, /header X-Signature-Timestamp is not an epoch time/],
		['the timestamp is negative', { 'x-signature-timestamp': '-1' }, /is not an epoch time/],
		['the timestamp is 301 s old', { 'x-signature-timestamp': String(NOW / 1000 - 301) }, /301 s in the past; at most 300 s/],
		['the timestamp is 301 s ahead, in ms', { 'x-signature-timestamp': String(NOW + 301_000) }, /301 s in the future/],
	])('401 when %s', async (_label, change, reason) => {
		const headers = { ...headersFor(), ...change } as Record<string, string>;
		for (const key of Object.keys(headers)) if (headers[key] === undefined) delete headers[key];
		const outcome = await receive(headers);
		expect(outcome.status).toBe(401);
		expect(errorOf(outcome)).toMatch(reason);
		expect(outcome.item).toBeUndefined();
	});

	it('a timestamp moved after signing breaks the signature (it is signed)', async () => {
		const headers = { ...headersFor(), 'x-signature-timestamp': String(NOW / 1000 - 10) };
		expect(errorOf(await receive(headers))).toMatch(/no signature in header X-Signature matches the body/);
	});

	it('an empty secret refuses a request signed with the empty secret, naming the credential field', async () => {
		const outcome = await receive(headersFor(BODY, { secret: '' }), BODY, SIGNED_WEBHOOK_SETTINGS, { secrets: ['', ''] });
		expect(errorOf(outcome)).toMatch(/^Unauthorized: the credential field secret is empty/);
	});

	it('never echoes the secret or the signature it expected', async () => {
		const outcome = await receive(headersFor(BODY, { secret: `${SECRET}-wrong` }));
		const expected = headersFor()['x-signature'].slice(7);
		expect(JSON.stringify(outcome)).not.toContain(SECRET);
		expect(JSON.stringify(outcome)).not.toContain(expected);
	});
});

describe('signedWebhook: replays', () => {
	it('a replayed delivery (same id) is a duplicate; with a new unsigned id, its body hash still makes it one', async () => {
		const memory = new InProcessDeliveryMemory();
		expect((await receive(headersFor(), BODY, SIGNED_WEBHOOK_SETTINGS, { memory })).item?.deliveryId).toBe('signedWebhook:dlv_1');
		expect((await receive(headersFor(), BODY, SIGNED_WEBHOOK_SETTINGS, { memory })).body).toEqual({ received: true, duplicate: true });
		// {timestamp}.{body} does not sign the id: whoever replays may change it.
		expect((await receive(headersFor(BODY, { id: 'dlv_2' }), BODY, SIGNED_WEBHOOK_SETTINGS, { memory })).body).toEqual({ received: true, duplicate: true });
	});

	it('with {id}.{timestamp}.{body} the id is signed: the same body under a new id is a new delivery, a changed id breaks the signature', async () => {
		const memory = new InProcessDeliveryMemory();
		const settings = { ...SIGNED_WEBHOOK_SETTINGS, signedContent: '{id}.{timestamp}.{body}' };
		const signed = (id: string) => ({
			'x-signature': sign({ algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', content: '{id}.{timestamp}.{body}' }, SECRET, BODY, id, SECONDS),
			'x-signature-timestamp': SECONDS,
			'x-delivery-id': id,
		});
		expect((await receive(signed('a'), BODY, settings, { memory })).status).toBe(200);
		expect((await receive(signed('b'), BODY, settings, { memory })).body).toEqual({ received: true });
		expect((await receive(signed('a'), BODY, settings, { memory })).body).toEqual({ received: true, duplicate: true });
		expect((await receive({ ...signed('a'), 'x-delivery-id': 'c' }, BODY, settings, { memory })).status).toBe(401);
		expect(errorOf(await receive({ ...signed(''), 'x-delivery-id': ' ' }, BODY, settings, { memory }))).toMatch(
			/^Unauthorized|header X-Delivery-Id is missing or empty/,
		);
	});

	it('without a timestamp header nothing dates a delivery: an old one is accepted once and refused as a duplicate only by the memory', async () => {
		const memory = new InProcessDeliveryMemory();
		const settings = { ...SIGNED_WEBHOOK_SETTINGS, signedContent: '{body}', timestampHeader: '', deliveryIdHeader: '' };
		const headers = { 'x-signature': sign({ algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', content: '{body}' }, SECRET, BODY, '', '') };
		const first = await receive(headers, BODY, settings, { memory, nowMs: NOW + 86_400_000 });
		expect(first.item?.deliveryId).toMatch(/^signedWebhook:[0-9a-f]{32}$/);
		expect((await receive(headers, BODY, settings, { memory })).body).toEqual({ received: true, duplicate: true });
	});
});

describe('signedWebhook: settings, refused with the parameter named', () => {
	const without = (name: string, value: unknown = '') => ({ ...SIGNED_WEBHOOK_SETTINGS, [name]: value });
	it.each([
		['no signature header', without('signatureHeader'), /the parameter Signature Header \(signatureHeader\) is empty/],
		['a signature header of spaces', without('signatureHeader', '   '), /Signature Header \(signatureHeader\) is empty/],
		['a signature header with a line break', without('signatureHeader', 'X-Sig\r\nX-Other'), /signatureHeader\) is not a valid header name/],
		['a number as signature header', without('signatureHeader', 42), /signatureHeader\) is not text/],
		['an unknown algorithm', without('signatureAlgorithm', 'md5'), /signatureAlgorithm\) is none of sha256, sha512, sha1/],
		['an unknown encoding', without('signatureEncoding', 'base32'), /signatureEncoding\) is none of hex, base64/],
		['an unknown signed content', without('signedContent', '{body}.{timestamp}'), /signedContent\) is none of/],
		['a prefix with a space', without('signaturePrefix', 'sha256 ='), /signaturePrefix\) holds a space/],
		['{timestamp} content without a timestamp header', without('timestampHeader'), /Timestamp Header \(timestampHeader\) is empty/],
		[
			'{id} content without a delivery id header',
			{ ...without('deliveryIdHeader'), signedContent: '{id}.{timestamp}.{body}' },
			/Delivery ID Header \(deliveryIdHeader\) is empty/,
		],
		['no event field', without('eventField'), /Event Field \(eventField\) is empty/],
		['an event field a..b', without('eventField', 'a..b'), /eventField\) has an empty segment/],
		['an event field ending in a dot', without('eventField', 'type.'), /eventField\) has an empty segment/],
		['a status field .a', without('statusField', '.a'), /statusField\) has an empty segment/],
		['a run field a..b', without('runFields', { id: 'a..b' }), /Run Fields \(runFields\): id has an empty segment/],
		['a run field that is a number', without('runFields', { url: 7 }), /runFields\): url is not text/],
		['run fields that are a list', without('runFields', ['id']), /runFields\) is not a collection/],
		[
			'no values for any event',
			{ ...SIGNED_WEBHOOK_SETTINGS, runStartValues: '', runFinishValues: ' , ', runTimeoutValues: '', runCanceledValues: '' },
			/every run event's values are empty/,
		],
		[
			'one value for two events',
			without('runCanceledValues', 'test_run.canceled, TEST_RUN.FINISHED'),
			/Run Finish Values \(runFinishValues\) and the parameter Run Canceled Values \(runCanceledValues\) both hold the value "test_run.finished"|runCanceledValues\) and the parameter Run Finish Values/,
		],
	])('%s: every request 401, before any proof is checked', async (_label, settings, reason) => {
		const outcome = await receive(headersFor(), BODY, settings as Settings);
		expect(outcome.status).toBe(401);
		expect(errorOf(outcome)).toMatch(reason);
		expect(errorOf(outcome)).toMatch(/this trigger refuses every request until it is set$/);
	});

	it('no settings at all: refused naming the signature header, then each required one in the editor order', async () => {
		expect(errorOf(await receive(headersFor(), BODY, {}))).toMatch(/Signature Header \(signatureHeader\) is empty/);
		expect(errorOf(await receive(headersFor(), BODY, { signatureHeader: 'X-Signature' }))).toMatch(/\(signatureAlgorithm\) is empty/);
	});

	it('a timestamp header with {body} content is checked, though unsigned', async () => {
		const settings = { ...SIGNED_WEBHOOK_SETTINGS, signedContent: '{body}' };
		const signature = sign({ algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', content: '{body}' }, SECRET, BODY, '', '');
		expect((await receive({ 'x-signature': signature, 'x-signature-timestamp': SECONDS, 'x-delivery-id': 'd' }, BODY, settings)).status).toBe(200);
		expect((await receive({ 'x-signature': signature, 'x-delivery-id': 'd' }, BODY, settings)).status).toBe(401);
	});
});

describe('signedWebhook: events and the item', () => {
	const deliver = async (payload: unknown, settings: Settings = SIGNED_WEBHOOK_SETTINGS) => {
		const body = JSON.stringify(payload);
		return await receive(headersFor(body), body, settings);
	};
	const run = (fields: Record<string, unknown>, type = 'test_run.finished') => ({ type, data: { run: fields } });

	it('maps the example delivery to a full item; the raw payload comes along', async () => {
		const outcome = await receive(headersFor());
		expect(outcome.item).toEqual({
			event: 'RUN_FINISH',
			source: 'signedWebhook',
			deliveryId: 'signedWebhook:dlv_1',
			receivedAt: new Date(NOW).toISOString(),
			run: {
				id: '90210',
				name: 'Nightly regression',
				url: 'https://ci.example.com/runs/90210',
				status: 'failed',
				startedAt: '2026-11-24T10:00:00.000Z',
				endedAt: '2026-11-24T11:45:00.000Z',
				durationMs: 6_300_000,
				app: null,
				git: { sha: '9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c', branch: 'main', author: null, message: null, remote: null },
				tags: [],
				totals: { tests: null, passed: null, failed: null, skipped: null, pending: null, flaky: null, retries: null },
				failures: [],
			},
			raw: JSON.parse(BODY),
		});
	});

	it.each([
		['test_run.started', 'RUN_START', 'running'],
		['TEST_RUN.FINISHED', 'RUN_FINISH', 'failed'],
		['test_run.timed_out', 'RUN_TIMEOUT', 'timedOut'],
		['test_run.canceled', 'RUN_CANCELED', 'canceled'],
		['test_run.cancelled', 'RUN_CANCELED', 'canceled'],
	])('%s → %s (%s), any case', async (type, event, status) => {
		const outcome = await deliver(run({ result: 'errored' }, type));
		expect(outcome.item).toMatchObject({ event, run: { status } });
	});

	it.each([
		['failed', 'failed'],
		['ERRORED', 'failed'],
		['passed', 'passed'],
		['', 'passed'],
		[null, 'passed'],
		[{ failed: true }, 'passed'],
	])('a finished run whose status field is %j is %s', async (result, status) => {
		expect((await deliver(run({ result }))).item?.run.status).toBe(status);
	});

	it('reads the status from the event field itself when no status field is set', async () => {
		const settings = { ...SIGNED_WEBHOOK_SETTINGS, statusField: '', runFinishValues: 'success, failure', failedValues: 'failure' };
		expect((await deliver({ type: 'failure' }, settings)).item?.run.status).toBe('failed');
		expect((await deliver({ type: 'success' }, settings)).item?.run.status).toBe('passed');
	});

	it('matches numbers and booleans by their text', async () => {
		const settings = { ...SIGNED_WEBHOOK_SETTINGS, eventField: 'state', runStartValues: '1', runFinishValues: 'true' };
		expect((await deliver({ state: 1 }, settings)).item?.event).toBe('RUN_START');
		expect((await deliver({ state: true }, settings)).item?.event).toBe('RUN_FINISH');
	});

	it.each([
		['a ping', { type: 'ping' }, 'body field type holds a value configured for no run event'],
		['a test event without the field', { hello: 'world' }, 'body field type is missing'],
		['a null event', { type: null }, 'body field type is missing'],
		['an object as event', { type: { name: 'test_run.finished' } }, 'body field type is not text, a number or a boolean'],
		['a list as event', { type: ['test_run.finished'] }, 'body field type is not text, a number or a boolean'],
	])('%s with a valid proof: 200 ignored, nothing starts', async (_label, payload, reason) => {
		expect(await deliver(payload)).toEqual({ status: 200, body: { received: true, ignored: reason } });
	});

	it('a ping with a wrong proof: 401', async () => {
		const body = JSON.stringify({ type: 'ping' });
		expect((await receive(headersFor(body, { secret: `${SECRET}-wrong` }), body)).status).toBe(401);
	});

	it('a body that is no JSON object: 400 naming the body', async () => {
		for (const body of ['[]', '"test_run.finished"', 'null', '42']) {
			const outcome = await receive(headersFor(body), body);
			expect(outcome.status).toBe(400);
			expect(errorOf(outcome)).toMatch(/signedWebhook schema: body: Expected object/);
		}
	});

	it.each([
		['a date of 1e20', { finished_at: 1e20 }, { endedAt: null, durationMs: null }],
		['a negative date', { finished_at: -5 }, { endedAt: null }],
		['a date in milliseconds', { finished_at: 1795520700000 }, { endedAt: '2026-11-24T11:45:00.000Z' }],
		['a date that is not ISO', { started_at: 'yesterday' }, { startedAt: null, durationMs: null }],
		['an end before the start', { started_at: '2026-11-24T12:00:00Z', finished_at: '2026-11-24T11:00:00Z' }, { durationMs: null }],
		['a number as id', { id: 7 }, { id: '7' }],
		['Infinity-like id (a huge number prints as text)', { id: 1e300 }, { id: '1e+300' }],
		['an object where text is expected', { title: { en: 'x' }, html_url: ['u'] }, { name: null, url: null }],
		['a boolean where text is expected', { id: true }, { id: null }],
		['a huge list in the payload', { title: 'big', tags: new Array(50_000).fill('t') }, { name: 'big', tags: [] }],
		['no git fields', { git: null }, { git: null }],
	])('%s: null (or the text), never a throw', async (_label, fields, expected) => {
		const outcome = await deliver(run({ result: 'passed', started_at: '2026-11-24T10:00:00Z', ...fields }));
		expect(outcome.status).toBe(200);
		expect(outcome.item?.run).toMatchObject(expected);
	});
});
