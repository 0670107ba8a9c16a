export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;

/** Full-jitter exponential backoff: a random wait up to base·2^(retry-1), capped. */
export function backoffDelay(retry: number, random: () => number = Math.random): number {
	const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
	return Math.floor(random() * ceiling);
}

/**
 * An HTTP date starts with the day's name (RFC 9110 §5.6.7: IMF-fixdate, RFC 850, asctime).
 * Date.parse alone would read "-5" or "1.5" as dates in 2001: a wait of zero.
 */
const HTTP_DATE_START = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i;

/** Retry-After as milliseconds from `nowMs`: delta seconds or an HTTP date; undefined if absent or unreadable. */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
	if (header === undefined) return undefined;
	const value = header.trim();
	if (/^\d+$/.test(value)) return Number(value) * 1000;
	if (!HTTP_DATE_START.test(value)) return undefined;
	// Every HTTP date is GMT; asctime does not say so, and Date.parse would read it as local time.
	const date = Date.parse(/\bGMT$/i.test(value) ? value : `${value} GMT`);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}
