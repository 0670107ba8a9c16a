/** Time as the delivery engine sees it; tests pass a fake one to skip real waiting. */
export interface Clock {
	now(): number;
	/** `signal` lets a clock end the wait early when it aborts; callers do not rely on it (see stop.ts). */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
