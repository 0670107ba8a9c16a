import type { Clock } from './clock';

/** What a wait cut short by a stop resolves to. */
export const STOPPED = Symbol('stopped');

/**
 * Settles with `work`, or with STOPPED as soon as `signal` aborts (at once if it has), whatever
 * `work` does later: a stop never waits for a wait.
 */
export function unlessStopped<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof STOPPED> {
	if (!signal) return work;
	if (signal.aborted) {
		work.catch(() => undefined);
		return Promise.resolve(STOPPED);
	}
	return new Promise((resolve, reject) => {
		const onAbort = () => resolve(STOPPED);
		signal.addEventListener('abort', onAbort, { once: true });
		work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/** Sleeps on the clock unless stopped first; true when the whole wait passed. */
export async function sleepUnlessStopped(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
	return (await unlessStopped(clock.sleep(ms, signal), signal)) !== STOPPED;
}
