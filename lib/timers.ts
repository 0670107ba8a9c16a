/**
 * The longest delay a Node.js timer holds: 2^31 − 1 ms, about 24.8 days. setTimeout turns a
 * longer one (and NaN) into 1 ms, so a "very long" wait would end at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A delay a timer keeps as meant: a long one stays long (capped at MAX_TIMER_MS, "a long
 * time", never "now"); negative or NaN is 0. Every timer fed by user input goes through this.
 */
export function timerDelay(ms: number): number {
	if (!(ms > 0)) return 0;
	return Math.min(ms, MAX_TIMER_MS);
}
