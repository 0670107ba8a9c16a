import { Webhook } from 'standardwebhooks';
import { hmacSha256, safeEqual, signStandardWebhook, verifyHexSignature, verifyStandardWebhook } from '../../../lib/verify';
import { newStandardSecret } from '../../support/signing';

const now = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('known-answer vectors', () => {
	it("GitHub's documented HMAC-SHA256 example", () => {
		const digest = hmacSha256("It's a Secret to Everybody", 'Hello, World!', 'hex');
		expect(digest).toBe('757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
		const verdict = verifyHexSignature(
			{
				headers: { 'x-autosana-signature-256': `sha256=${digest}` },
				rawBody: Buffer.from('Hello, World!'),
				secrets: ["It's a Secret to Everybody"],
				toleranceSeconds: 300,
				nowMs: now,
			},
			'X-Autosana-Signature-256',
		);
		expect(verdict).toEqual({ ok: true });
	});

	it('a Standard Webhooks signature from the standardwebhooks package verifies with ours, and ours with theirs', () => {
		const secret = newStandardSecret();
		const body = '{"event":"RUN_FINISH"}';
		const theirs = new Webhook(secret).sign('msg_1', new Date(now), body);
		expect(signStandardWebhook(secret, 'msg_1', now / 1000, body)).toBe(theirs);
		const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now / 1000), 'webhook-signature': theirs };
		expect(verifyStandardWebhook({ headers, rawBody: Buffer.from(body), secrets: [secret], toleranceSeconds: 300, nowMs: now })).toEqual({
			ok: true,
			deliveryId: 'msg_1',
		});
		// Their verify checks the time against the real clock, so sign for now.
		const fresh = Math.floor(Date.now() / 1000);
		const ours = signStandardWebhook(secret, 'msg_2', fresh, body);
		expect(new Webhook(secret).verify(body, { 'webhook-id': 'msg_2', 'webhook-timestamp': String(fresh), 'webhook-signature': ours })).toEqual({
			event: 'RUN_FINISH',
		});
	});

	it('accepts any one valid signature in a space-separated webhook-signature list', () => {
		const secret = newStandardSecret();
		const body = '{}';
		const good = new Webhook(secret).sign('msg_3', new Date(now), body);
		const headers = { 'webhook-id': 'msg_3', 'webhook-timestamp': String(now / 1000), 'webhook-signature': `v1,Zm9v v2,abc ${good}` };
		expect(verifyStandardWebhook({ headers, rawBody: Buffer.from(body), secrets: [secret], toleranceSeconds: 300, nowMs: now }).ok).toBe(true);
		headers['webhook-signature'] = 'v1,Zm9v v1,YmFy';
		expect(verifyStandardWebhook({ headers, rawBody: Buffer.from(body), secrets: [secret], toleranceSeconds: 300, nowMs: now })).toEqual({
			ok: false,
			status: 401,
			reason: 'no signature in header webhook-signature matches the body',
			secretMismatch: true,
		});
	});
});

describe('safeEqual', () => {
	it('compares by content and length', () => {
		expect(safeEqual('abc', 'abc')).toBe(true);
		expect(safeEqual('abc', 'abd')).toBe(false);
		expect(safeEqual('abc', 'abcd')).toBe(false);
		expect(safeEqual('', '')).toBe(true);
	});
});

describe('verifyStandardWebhook: signatures compared as bytes', () => {
	const secret = `whsec_${Buffer.from('a-standard-webhooks-key-of-32-bytes!').toString('base64')}`;
	const body = Buffer.from('{"event":"RUN_FINISH"}');
	const nowMs = 1_760_000_000_000;
	const check = (signature: string) =>
		verifyStandardWebhook({
			headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': String(nowMs / 1000), 'webhook-signature': signature },
			rawBody: body,
			secrets: [secret, ''],
			toleranceSeconds: 300,
			nowMs,
		}).ok;
	const genuine = new Webhook(secret).sign('msg_1', new Date(nowMs), body.toString());

	it('accepts the genuine signature among others, and refuses it altered, truncated or written another way', () => {
		expect(check(genuine)).toBe(true);
		expect(check(`v1,${Buffer.alloc(32).toString('base64')} ${genuine}`)).toBe(true);
		expect(check(`${genuine}!`)).toBe(false);
		expect(check(genuine.slice(0, -4))).toBe(false);
		expect(check(`${genuine.slice(0, -2)}==`)).toBe(false);
		expect(check(genuine.replace('v1,', 'v1a,'))).toBe(false);
	});
});

describe('signStandardWebhook: the key as a secret string or as bytes', () => {
	it('signs the same with the whsec_ secret and with its decoded key bytes', () => {
		const key = Buffer.alloc(32, 11);
		const secret = `whsec_${key.toString('base64')}`;
		const body = '{"event":"RUN_FINISH"}';
		const fromBytes = signStandardWebhook(key, 'msg_1', 1_764_000_000, body);
		expect(fromBytes).toBe(signStandardWebhook(secret, 'msg_1', 1_764_000_000, body));
		expect(fromBytes).toBe(new Webhook(secret).sign('msg_1', new Date(1_764_000_000_000), body));
	});
});
