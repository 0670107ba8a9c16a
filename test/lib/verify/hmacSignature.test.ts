import { presentedSignatures, verifyHmacSignature, type HmacScheme, type VerificationInput } from '../../../lib/verify';
import { signByRecipe } from '../../support/signedWebhook';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const SECONDS = String(NOW / 1000);
const SECRET = 'hmac-signature-secret-1';
const BODY = '{"run":"r1","status":"passed"}';

const SCHEME: HmacScheme = {
	signatureHeader: 'X-Sig',
	algorithm: 'sha256',
	encoding: 'hex',
	prefix: 'sha256=',
	signedContent: '{timestamp}.{body}',
	timestampHeader: 'X-Ts',
	idHeader: 'X-Id',
};

/** The sender's recipe (test/support): signed as the scheme says, never by the package. */
const sign = (scheme: HmacScheme, { secret = SECRET, body = BODY, timestamp = SECONDS, id = 'dlv_1' } = {}) =>
	signByRecipe({ algorithm: scheme.algorithm, encoding: scheme.encoding, prefix: scheme.prefix, content: scheme.signedContent }, secret, {
		body,
		timestamp,
		id,
	});

const input = (headers: Record<string, string>, overrides: Partial<VerificationInput> = {}): VerificationInput => ({
	headers,
	rawBody: Buffer.from(BODY),
	secrets: [SECRET, ''],
	toleranceSeconds: 300,
	nowMs: NOW,
	...overrides,
});

const verify = (headers: Record<string, string>, scheme: HmacScheme = SCHEME, overrides: Partial<VerificationInput> = {}) =>
	verifyHmacSignature(input(headers, overrides), scheme);

const signedHeaders = (scheme: HmacScheme = SCHEME, signature = sign(scheme)) => ({ 'x-sig': signature, 'x-ts': SECONDS, 'x-id': 'dlv_1' });

describe('presentedSignatures', () => {
	it.each([
		['one signature', 'sha256=abc', 'sha256=', ['abc']],
		['separators before, between and after', ' ,sha256=abc ,\tsha256=def, ', 'sha256=', ['abc', 'def']],
		['the prefix in any case', 'SHA256=abc Sha256=def', 'sha256=', ['abc', 'def']],
		['entries with another prefix, or shorter than it, left out', 'sha1=abc sha256 sha256=def sha2', 'sha256=', ['def']],
		['an empty prefix: every entry', ' abc,def ', '', ['abc', 'def']],
		['a prefix with a comma: entries split at whitespace only', '\nv1,abc\tv1,def v2,ghi ', 'v1,', ['abc', 'def']],
		['a prefix with a comma: a comma inside an entry stays', 'v1,abc,def', 'v1,', ['abc,def']],
		['nothing but separators', ' , ', '', []],
	])('%s', (_case, value, prefix, expected) => {
		expect(presentedSignatures(value, prefix)).toEqual(expected);
	});
});

describe('verifyHmacSignature: what it accepts', () => {
	it.each([
		['sha256', 'hex'],
		['sha512', 'hex'],
		['sha1', 'hex'],
		['sha256', 'base64'],
		['sha512', 'base64'],
		['sha1', 'base64'],
	] as const)('%s in %s', (algorithm, encoding) => {
		const scheme: HmacScheme = { ...SCHEME, algorithm, encoding };
		expect(verify(signedHeaders(scheme), scheme)).toEqual({ ok: true });
	});

	it('hex in upper case, and the valid signature anywhere in a list', () => {
		const signature = sign(SCHEME);
		expect(verify(signedHeaders(SCHEME, `sha256=${signature.slice(7).toUpperCase()}`))).toEqual({ ok: true });
		expect(verify(signedHeaders(SCHEME, `sha256=${'0'.repeat(64)} ${signature}`))).toEqual({ ok: true });
	});

	it('a signature made with the previous secret, while rotating', () => {
		const headers = signedHeaders(SCHEME, sign(SCHEME, { secret: 'hmac-previous-secret-1' }));
		expect(verify(headers, SCHEME, { secrets: [SECRET, 'hmac-previous-secret-1'] })).toEqual({ ok: true });
		expect(verify(headers)).toMatchObject({ ok: false, status: 401, secretMismatch: true });
	});

	it('signs exactly the configured content: the id, the timestamp and the body joined by dots', () => {
		const withId: HmacScheme = { ...SCHEME, signedContent: '{id}.{timestamp}.{body}' };
		expect(verify(signedHeaders(withId), withId)).toEqual({ ok: true });
		// The same signature, read under another content setting, proves nothing.
		expect(verify(signedHeaders(withId, sign(SCHEME)), withId)).toMatchObject({ ok: false, secretMismatch: true });
		expect(verify(signedHeaders(SCHEME, sign(withId)))).toMatchObject({ ok: false, secretMismatch: true });
	});

	it('with {body} content and a timestamp header, the timestamp is checked but not signed', () => {
		const bodyOnly: HmacScheme = { ...SCHEME, signedContent: '{body}' };
		expect(verify(signedHeaders(bodyOnly), bodyOnly)).toEqual({ ok: true });
		expect(verify(signedHeaders(bodyOnly, sign(SCHEME)), bodyOnly)).toMatchObject({ ok: false, secretMismatch: true });
		const stale = { ...signedHeaders(bodyOnly), 'x-ts': String(NOW / 1000 - 301) };
		expect(verify(stale, bodyOnly)).toEqual({ ok: false, status: 401, reason: 'header X-Ts is 301 s in the past; at most 300 s is accepted' });
	});

	it('without a timestamp header, no timestamp is read, checked or signed', () => {
		const untimed: HmacScheme = { ...SCHEME, signedContent: '{body}', timestampHeader: undefined };
		expect(verify({ 'x-sig': sign(untimed), 'x-ts': 'not a time' }, untimed)).toEqual({ ok: true });
	});
});

describe('verifyHmacSignature: what it refuses, and the header it names', () => {
	it('a missing signature header', () => {
		expect(verify({ 'x-ts': SECONDS })).toEqual({ ok: false, status: 401, reason: 'missing header X-Sig' });
	});

	it('a missing id header, or none configured, with id content', () => {
		const withId: HmacScheme = { ...SCHEME, signedContent: '{id}.{timestamp}.{body}' };
		const { 'x-id': _id, ...headers } = signedHeaders(withId);
		expect(verify(headers, withId)).toEqual({ ok: false, status: 401, reason: 'missing header X-Id' });
		expect(verify(signedHeaders(withId), { ...withId, idHeader: undefined })).toEqual({
			ok: false,
			status: 401,
			reason: 'missing header with the delivery id',
		});
	});

	it('a missing, malformed, stale or future timestamp', () => {
		const { 'x-ts': _ts, ...untimed } = signedHeaders();
		expect(verify(untimed)).toEqual({ ok: false, status: 401, reason: 'missing header X-Ts' });
		expect(verify({ ...untimed, 'x-ts': '17e8' })).toEqual({
			ok: false,
			status: 401,
			reason: 'header X-Ts is not an epoch time (seconds or milliseconds)',
		});
		const at = (seconds: number) => signedHeaders(SCHEME, sign(SCHEME, { timestamp: String(seconds) }));
		expect(verify({ ...at(NOW / 1000 + 400), 'x-ts': String(NOW / 1000 + 400) })).toMatchObject({
			reason: 'header X-Ts is 400 s in the future; at most 300 s is accepted',
		});
		expect(verify({ ...at(NOW / 1000 - 300), 'x-ts': String(NOW / 1000 - 300) })).toEqual({ ok: true });
	});

	it.each([
		['hex one character short', (s: string) => s.slice(0, -1)],
		['hex one character long', (s: string) => `${s}0`],
		['a non-hex character first', (s: string) => `sha256=z${s.slice(8)}`],
		['a non-hex character last', (s: string) => `${s.slice(0, -1)}z`],
		['no prefix', (s: string) => s.slice(7)],
		['the prefix alone', () => 'sha256='],
	])('no signature of the configured form (%s): refused as such, never thrown', (_case, change) => {
		expect(verify(signedHeaders(SCHEME, change(sign(SCHEME))))).toEqual({
			ok: false,
			status: 401,
			reason: 'header X-Sig holds no signature of the form sha256=<hex HMAC-SHA256>',
		});
	});

	it.each([
		['without its padding', (s: string) => s.replace(/=+$/, '')],
		['with a character too many', (s: string) => `A${s}`],
		['re-encoded URL-safe', (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')],
		['with a space inside', (s: string) => `${s.slice(0, 10)}\u00a0${s.slice(10)}`],
	])('base64 only as the sender writes it: not %s', (_case, change) => {
		const base64: HmacScheme = { ...SCHEME, encoding: 'base64', prefix: 'v1=', algorithm: 'sha512' };
		const signature = sign(base64).slice(3);
		expect(verify(signedHeaders(base64, `v1=${change(signature)}`), base64)).toEqual({
			ok: false,
			status: 401,
			reason: 'header X-Sig holds no signature of the form v1=<base64 HMAC-SHA512>',
		});
	});

	it('a signature of the right form that matches no secret: a mismatch', () => {
		expect(verify(signedHeaders(SCHEME, sign(SCHEME, { secret: 'another-secret-entirely' })))).toEqual({
			ok: false,
			status: 401,
			reason: 'no signature in header X-Sig matches the body',
			secretMismatch: true,
		});
		expect(verify(signedHeaders(), SCHEME, { rawBody: Buffer.from(`${BODY} `) })).toMatchObject({ secretMismatch: true });
	});

	it('a credential unfit to verify with: refused before any header is read', () => {
		expect(verify({}, SCHEME, { secrets: ['short', ''] })).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^the credential field/) });
	});
});
