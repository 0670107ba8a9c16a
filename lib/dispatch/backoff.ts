export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;

/** Full-jitter exponential backoff: a random wait up to base·2^(retry-1), capped. */
export function backoffDelay(retry: number, random: () => number = Math.random): number {
	const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
	return Math.floor(random() * ceiling);
}

/** Retry-After as milliseconds from `nowMs`: delta seconds or an HTTP date; undefined if absent or unreadable. */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
	if (header === undefined) return undefined;
	const value = header.trim();
	if (/^\d+$/.test(value)) return Number(value) * 1000;
	const date = Date.parse(value);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}
