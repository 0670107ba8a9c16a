import { createHmac, timingSafeEqual } from 'node:crypto';
import { header, type Headers } from '../http/headers';
import { expected as expectedValue, matchesAny, matchesAnyExpected, type Expected } from './crypto';

export interface VerificationInput {
	headers: Headers;
	rawBody: Buffer;
	/**
	 * The credential's `secret` first, then its `previousSecret` (accepted too while rotating;
	 * empty means there is none).
	 */
	secrets: readonly string[];
	toleranceSeconds: number;
	nowMs: number;
}

/**
 * 401: not proven genuine; 400: a header in a form no genuine sender uses. `secretMismatch`:
 * the proof was there but made with another secret (e.g. one derived from an old API key).
 */
export type Refusal = { ok: false; status: 400 | 401; reason: string; secretMismatch?: true };
export type Verification = { ok: true; deliveryId?: string } | Refusal;

export const refuse = (reason: string, status: 400 | 401 = 401): Refusal => ({ ok: false, status, reason });
export const mismatch = (reason: string): Refusal => ({ ...refuse(reason), secretMismatch: true });

/**
 * The least key material a secret must hold (16 bytes, 128 bits): with an empty or tiny key
 * anyone can compute a valid proof, so such a trigger refuses every request.
 */
export const MIN_SECRET_BYTES = 16;

export const textKeyBytes = (secret: string): number => Buffer.byteLength(secret.trim(), 'utf8');

const REFUSES_ALL = 'this trigger refuses every request until it is set to a longer secret';

/**
 * What is derived from one list of secrets, computed on its first use and kept as long as the
 * list itself (a trigger's cached credential hands out the same list until it changes):
 * the checks of key material, the hashed values to compare with, decoded keys.
 */
interface Prepared {
	text?: string[] | Refusal;
	textExpected?: Expected[];
	standardWebhooks?: { usable: string[] | Refusal; keys: Buffer[] };
}
const preparedBySecrets = new WeakMap<readonly string[], Prepared>();

function prepared(secrets: readonly string[]): Prepared {
	let entry = preparedBySecrets.get(secrets);
	if (!entry) preparedBySecrets.set(secrets, (entry = {}));
	return entry;
}

/** `usableSecrets` for secrets used as text, with their hashed values (shared headers, bearer tokens). */
export function textSecrets(secrets: readonly string[]): { usable: string[]; expected: Expected[] } | Refusal {
	const entry = prepared(secrets);
	entry.text ??= usableSecrets(secrets);
	if (!Array.isArray(entry.text)) return entry.text;
	entry.textExpected ??= entry.text.map(expectedValue);
	return { usable: entry.text, expected: entry.textExpected };
}

/**
 * The secrets a delivery may prove itself with, or why none can be trusted. `keyBytes`
 * measures a secret's key material the way its source uses it.
 */
export function usableSecrets(secrets: readonly string[], keyBytes: (secret: string) => number = textKeyBytes): string[] | Refusal {
	const [current = '', ...previous] = secrets;
	if (current.trim() === '') return refuse(`the credential field secret is empty; ${REFUSES_ALL}`);
	const named = [
		{ field: 'secret', value: current },
		// An empty previous secret means there is none, not a secret that anyone can match.
		...previous.filter((value) => value.trim() !== '').map((value) => ({ field: 'previousSecret', value })),
	];
	const tiny = named.find(({ value }) => keyBytes(value) < MIN_SECRET_BYTES);
	if (tiny) return refuse(`the credential field ${tiny.field} holds less than ${MIN_SECRET_BYTES} bytes of key material; ${REFUSES_ALL}`);
	return named.map(({ value }) => value);
}

/** Checks that a timestamp (epoch ms) lies within the tolerance, past or future. */
export function checkFreshness(timestampMs: number, input: Pick<VerificationInput, 'toleranceSeconds' | 'nowMs'>, what: string): Verification {
	const skewSeconds = (timestampMs - input.nowMs) / 1000;
	if (Math.abs(skewSeconds) > input.toleranceSeconds) {
		return refuse(
			`${what} is ${Math.round(Math.abs(skewSeconds))} s in the ${skewSeconds < 0 ? 'past' : 'future'}; at most ${input.toleranceSeconds} s is accepted`,
		);
	}
	return { ok: true };
}

/** Epoch milliseconds or seconds (values below 10^11 are read as seconds). */
export function parseEpoch(value: string): number | undefined {
	if (!/^\d{1,16}$/.test(value.trim())) return undefined;
	const number = Number(value);
	return number < 1e11 ? number * 1000 : number;
}

/** Currents: a custom header holding a shared secret, and `x-timestamp` on every request. */
export function verifySharedHeader(input: VerificationInput, headerName: string): Verification {
	const secrets = textSecrets(input.secrets);
	if ('ok' in secrets) return secrets;
	const presented = header(input.headers, headerName);
	if (presented === undefined) return refuse(`missing header ${headerName}`);
	if (!matchesAnyExpected(presented, secrets.expected)) return mismatch(`wrong value in header ${headerName}`);
	const stamp = header(input.headers, 'x-timestamp');
	if (stamp === undefined) return refuse('missing header x-timestamp');
	const timestampMs = parseEpoch(stamp);
	if (timestampMs === undefined) return refuse('header x-timestamp is not an epoch time');
	return checkFreshness(timestampMs, input, 'header x-timestamp');
}

/** Maestro Cloud: the project's webhook token as `Authorization: Bearer <token>`. */
export function verifyBearer(input: VerificationInput): Verification {
	const secrets = textSecrets(input.secrets);
	if ('ok' in secrets) return secrets;
	const authorization = header(input.headers, 'authorization');
	if (authorization === undefined) return refuse('missing header Authorization');
	const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
	if (!match) return refuse('header Authorization is not a Bearer token');
	if (!matchesAnyExpected(match[1], secrets.expected)) return mismatch('wrong token in header Authorization');
	return { ok: true };
}

/**
 * `sha256=<hex HMAC-SHA256>` in one header (no list): over the raw body (Autosana, GitHub), or,
 * with `timestampHeader`, over `<timestamp>.<raw body>` with that header in epoch seconds
 * within the tolerance (Cypress Cloud).
 */
export function verifyHexSignature(input: VerificationInput, headerName: string, timestampHeader?: string): Verification {
	const text = textSecrets(input.secrets);
	if ('ok' in text) return text;
	const secrets = text.usable;
	const signature = header(input.headers, headerName);
	if (signature === undefined) return refuse(`missing header ${headerName}`);
	if (!signature.startsWith('sha256=')) return refuse(`header ${headerName} does not start with sha256=`);
	let signedPrefix = '';
	if (timestampHeader !== undefined) {
		const stamp = header(input.headers, timestampHeader);
		if (stamp === undefined) return refuse(`missing header ${timestampHeader}`);
		if (!/^\d{1,12}$/.test(stamp)) return refuse(`header ${timestampHeader} is not epoch seconds`);
		const fresh = checkFreshness(Number(stamp) * 1000, input, `header ${timestampHeader}`);
		if (!fresh.ok) return fresh;
		signedPrefix = `${stamp}.`;
	}
	const presented = signature.slice('sha256='.length).toLowerCase();
	const expected = secrets.map((secret) => createHmac('sha256', secret).update(signedPrefix).update(input.rawBody).digest('hex'));
	if (!matchesAny(presented, expected)) return mismatch(`signature in header ${headerName} does not match the body`);
	return { ok: true };
}

/** The key bytes of a Standard Webhooks secret (`whsec_<base64>`; a bare base64 key is accepted too). */
export function standardWebhooksKey(secret: string): Buffer {
	return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

export function signStandardWebhook(secret: string | Buffer, id: string, timestampSeconds: number, body: string | Buffer): string {
	const key = typeof secret === 'string' ? standardWebhooksKey(secret) : secret;
	return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body).digest('base64')}`;
}

/** The usable Standard Webhooks secrets of a list and their decoded keys, once per list. */
function standardWebhooksSecrets(secrets: readonly string[]): { usable: string[] | Refusal; keys: Buffer[] } {
	const entry = prepared(secrets);
	if (!entry.standardWebhooks) {
		const usable = usableSecrets(secrets, (secret) => standardWebhooksKey(secret).length);
		entry.standardWebhooks = { usable, keys: Array.isArray(usable) ? usable.map(standardWebhooksKey) : [] };
	}
	return entry.standardWebhooks;
}

/** Standard Webhooks: webhook-id, webhook-timestamp (seconds), webhook-signature (`v1,<b64>` list). */
export function verifyStandardWebhook(input: VerificationInput): Verification {
	const { usable, keys } = standardWebhooksSecrets(input.secrets);
	if (!Array.isArray(usable)) return usable;
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
	const signedPrefix = `${id}.${Number(stamp)}.`;
	const expected = keys.map((key) => createHmac('sha256', key).update(signedPrefix).update(input.rawBody).digest());
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
