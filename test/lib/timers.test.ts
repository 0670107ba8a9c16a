import { MAX_TIMER_MS, timerDelay } from '../../lib/timers';

describe('timerDelay: long means long, never now', () => {
	it.each([
		[0, 0],
		[-5, 0],
		[NaN, 0],
		[1500, 1500],
		[MAX_TIMER_MS, MAX_TIMER_MS],
		[MAX_TIMER_MS + 1, MAX_TIMER_MS],
		[3e6 * 1000, MAX_TIMER_MS],
		[Infinity, MAX_TIMER_MS],
	])('%j ms → %j ms', (ms, delay) => {
		expect(timerDelay(ms)).toBe(delay);
	});
});
