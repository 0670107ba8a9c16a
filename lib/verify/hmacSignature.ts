import { createHmac, timingSafeEqual } from 'node:crypto';
import { header } from '../http/headers';
import { credentialSecrets } from './secrets';
import { checkFreshness, mismatch, parseEpoch, refuse, type Verification, type VerificationInput } from './verification';

export const HMAC_ALGORITHMS = ['sha256', 'sha512', 'sha1'] as const;
export type HmacAlgorithm = (typeof HMAC_ALGORITHMS)[number];
export const SIGNATURE_ENCODINGS = ['hex', 'base64'] as const;
export type SignatureEncoding = (typeof SIGNATURE_ENCODINGS)[number];
/** What the sender signs: the raw body, preceded by the timestamp header's value (and the id header's), joined by dots. */
export const SIGNED_CONTENTS = ['{body}', '{timestamp}.{body}', '{id}.{timestamp}.{body}'] as const;
export type SignedContent = (typeof SIGNED_CONTENTS)[number];

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha256: 32, sha512: 64, sha1: 20 };

/** How a sender signs its deliveries, as configured by the user. */
export interface HmacScheme {
	signatureHeader: string;
	algorithm: HmacAlgorithm;
	encoding: SignatureEncoding;
	/** Written before each signature (`sha256=`); may be empty. */
	prefix: string;
	signedContent: SignedContent;
	/** Epoch seconds or milliseconds; checked against the tolerance whenever set. Required by `{timestamp}` content. */
	timestampHeader?: string;
	/** Required by `{id}` content. */
	idHeader?: string;
}

/**
 * The signatures a header value carries: entries separated by spaces or commas (commas only
 * when the prefix holds none), those that start with the prefix (any case), without it.
 */
export function presentedSignatures(value: string, prefix: string): string[] {
	// One separator character at a time: the empty entries between two of them are dropped below.
	const separator = prefix.includes(',') ? /\s/ : /[\s,]/;
	const lowerPrefix = prefix.toLowerCase();
	return value
		.split(separator)
		.filter((entry) => entry !== '' && entry.slice(0, prefix.length).toLowerCase() === lowerPrefix)
		.map((entry) => entry.slice(prefix.length));
}

/** A presented signature as bytes, only in the form the sender writes it (hex in any case; canonical base64), else undefined. */
function decodeSignature(text: string, scheme: HmacScheme): Buffer | undefined {
	const size = DIGEST_BYTES[scheme.algorithm];
	if (scheme.encoding === 'hex') return text.length === size * 2 && /^[0-9a-f]+$/i.test(text) ? Buffer.from(text, 'hex') : undefined;
	const bytes = Buffer.from(text, 'base64');
	return bytes.length === size && bytes.toString('base64') === text ? bytes : undefined;
}

/** A delivery signed with an HMAC of the configured algorithm and encoding over the configured content. */
export function verifyHmacSignature(input: VerificationInput, scheme: HmacScheme): Verification {
	const secrets = credentialSecrets(input.secrets, 'text');
	if ('ok' in secrets) return secrets;
	const value = header(input.headers, scheme.signatureHeader);
	if (value === undefined) return refuse(`missing header ${scheme.signatureHeader}`);

	const signedParts: string[] = [];
	if (scheme.signedContent === '{id}.{timestamp}.{body}') {
		const id = scheme.idHeader === undefined ? undefined : header(input.headers, scheme.idHeader);
		if (id === undefined) return refuse(`missing header ${scheme.idHeader ?? 'with the delivery id'}`);
		signedParts.push(id);
	}
	if (scheme.timestampHeader !== undefined) {
		const stamp = header(input.headers, scheme.timestampHeader);
		if (stamp === undefined) return refuse(`missing header ${scheme.timestampHeader}`);
		const timestampMs = parseEpoch(stamp);
		if (timestampMs === undefined) return refuse(`header ${scheme.timestampHeader} is not an epoch time (seconds or milliseconds)`);
		const fresh = checkFreshness(timestampMs, input, `header ${scheme.timestampHeader}`);
		if (!fresh.ok) return fresh;
		if (scheme.signedContent !== '{body}') signedParts.push(stamp);
	}

	const presented = presentedSignatures(value, scheme.prefix)
		.map((text) => decodeSignature(text, scheme))
		.filter((bytes): bytes is Buffer => bytes !== undefined);
	if (presented.length === 0) {
		const form = `${scheme.prefix}<${scheme.encoding} HMAC-${scheme.algorithm.toUpperCase()}>`;
		return refuse(`header ${scheme.signatureHeader} holds no signature of the form ${form}`);
	}
	const signedPrefix = signedParts.map((part) => `${part}.`).join('');
	const expected = secrets.texts.map((secret) => createHmac(scheme.algorithm, secret).update(signedPrefix).update(input.rawBody).digest());
	// Every presented signature against every secret, so the time taken says nothing about which matched.
	let valid = false;
	for (const bytes of presented) for (const digest of expected) valid = timingSafeEqual(bytes, digest) || valid;
	if (!valid) return mismatch(`no signature in header ${scheme.signatureHeader} matches the body`);
	return { ok: true };
}
