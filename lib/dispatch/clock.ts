/** Time as the delivery engine sees it; tests pass a fake one to skip real waiting. */
export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}
