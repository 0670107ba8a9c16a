import { createHmac, timingSafeEqual } from 'node:crypto';
import { header } from '../http/headers';
import { checkFreshness, mismatch, refuse, type Verification, type VerificationInput } from './verification';

/**
 * Standard Webhooks (https://www.standardwebhooks.com), both ends: the key in a secret, the
 * signature the sender (Webhook Dispatch) writes and the one the receiver (the trigger) checks.
 */

/** A Standard Webhooks secret is this prefix and the base64 key. */
export const STANDARD_WEBHOOKS_SECRET_PREFIX = 'whsec_';

export const hasStandardWebhooksPrefix = (secret: string): boolean => secret.startsWith(STANDARD_WEBHOOKS_SECRET_PREFIX);

/** The base64 text of a secret: what follows `whsec_`, or the whole secret (a bare key is accepted too). */
export function standardWebhooksKeyText(secret: string): string {
	return (hasStandardWebhooksPrefix(secret) ? secret.slice(STANDARD_WEBHOOKS_SECRET_PREFIX.length) : secret).trim();
}

/** The base64 alphabet, padded or not: what the spec's own libraries decode (they throw on anything else). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A secret's key bytes, and whether its text is base64 at all (Node's decoder skips what is not). */
export function decodeStandardWebhooksKey(secret: string): { key: Buffer; base64: boolean } {
	const text = standardWebhooksKeyText(secret);
	return { key: Buffer.from(text, 'base64'), base64: BASE64.test(text) };
}

const signedPrefix = (id: string, timestampSeconds: number) => `${id}.${timestampSeconds}.`;

export function signStandardWebhook(secret: string | Buffer, id: string, timestampSeconds: number, body: string | Buffer): string {
	const key = typeof secret === 'string' ? decodeStandardWebhooksKey(secret).key : secret;
	return `v1,${createHmac('sha256', key).update(signedPrefix(id, timestampSeconds)).update(body).digest('base64')}`;
}

/**
 * The receiver's check with keys already decoded: webhook-id, webhook-timestamp (seconds),
 * webhook-signature (`v1,<b64>` list).
 */
export function checkStandardWebhookSignature(input: Omit<VerificationInput, 'secrets'>, keys: readonly Buffer[]): Verification {
	const id = header(input.headers, 'webhook-id');
	const stamp = header(input.headers, 'webhook-timestamp');
	const signatures = header(input.headers, 'webhook-signature');
	if (id === undefined) return refuse('missing header webhook-id');
	if (stamp === undefined) return refuse('missing header webhook-timestamp');
	if (signatures === undefined) return refuse('missing header webhook-signature');
	// The id is what deduplication remembers: an empty one would make unrelated deliveries duplicates.
	if (id.trim() === '') return refuse('header webhook-id is empty', 400);
	if (!/^\d{1,12}$/.test(stamp)) return refuse('header webhook-timestamp is not epoch seconds');
	const fresh = checkFreshness(Number(stamp) * 1000, input, 'header webhook-timestamp');
	if (!fresh.ok) return fresh;
	const presented = signatures.split(' ').filter((entry) => entry.startsWith('v1,'));
	if (presented.length === 0) return refuse('header webhook-signature has no v1 signature');
	// The HMACs as bytes, compared in constant time with the presented signatures decoded
	// (32 bytes each; only canonical base64, as the sender writes it, is taken).
	const prefix = signedPrefix(id, Number(stamp));
	const expected = keys.map((key) => createHmac('sha256', key).update(prefix).update(input.rawBody).digest());
	let valid = false;
	for (const entry of presented) {
		const text = entry.slice('v1,'.length);
		const bytes = Buffer.from(text, 'base64');
		if (bytes.length !== 32 || bytes.toString('base64') !== text) continue;
		for (const digest of expected) valid = timingSafeEqual(bytes, digest) || valid;
	}
	if (!valid) return mismatch('no signature in header webhook-signature matches the body');
	return { ok: true, deliveryId: id };
}
