/**
 * Polls `probe` until it gives a value other than undefined or false, or the time is up.
 * `what` may be a function: it is then asked at the timeout, so the message can say what was
 * last seen.
 */
export async function until<T>(
	what: string | (() => string),
	probe: () => T | undefined | false | Promise<T | undefined | false>,
	timeoutMs = 30_000,
	intervalMs = 200,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${typeof what === 'function' ? what() : what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
