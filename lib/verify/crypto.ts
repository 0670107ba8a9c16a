import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in constant time. Both sides are hashed first so that neither the
 * content nor the length of the expected value leaks through timing.
 */
export function safeEqual(received: string, expected: string): boolean {
	const a = createHash('sha256').update(received, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b) && received.length === expected.length;
}

/** True when `received` equals any of the candidates; every candidate is compared. */
export function matchesAny(received: string, candidates: readonly string[]): boolean {
	let matched = false;
	for (const candidate of candidates) matched = safeEqual(received, candidate) || matched;
	return matched;
}

/** A value to compare against, hashed once (for secrets that stay the same across requests). */
export interface Expected {
	digest: Buffer;
	length: number;
}

export function expected(value: string): Expected {
	return { digest: createHash('sha256').update(value, 'utf8').digest(), length: value.length };
}

/** `matchesAny` against values hashed in advance: the same constant-time comparison. */
export function matchesAnyExpected(received: string, candidates: readonly Expected[]): boolean {
	const digest = createHash('sha256').update(received, 'utf8').digest();
	let matched = false;
	for (const candidate of candidates) matched = (timingSafeEqual(digest, candidate.digest) && received.length === candidate.length) || matched;
	return matched;
}

export function hmacSha256(key: string | Buffer, data: string | Buffer, encoding: 'hex' | 'base64'): string {
	return createHmac('sha256', key).update(data).digest(encoding);
}

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}
