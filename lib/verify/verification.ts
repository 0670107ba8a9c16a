import type { Headers } from '../http/headers';

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
