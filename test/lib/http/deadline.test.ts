import { Deadline } from '../../../lib/http/deadline';
import { MAX_TIMER_MS } from '../../../lib/timers';

describe('Deadline', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('is not aborted before its time, and aborts once at it with a TimeoutError', () => {
		const deadline = new Deadline(1000);
		const listener = jest.fn();
		deadline.onExpire(listener);
		jest.advanceTimersByTime(999);
		expect(deadline.aborted).toBe(false);
		expect(listener).not.toHaveBeenCalled();
		jest.advanceTimersByTime(1);
		expect(deadline.aborted).toBe(true);
		expect(deadline.reason).toMatchObject({ name: 'TimeoutError', message: 'deadline of 1000 ms passed' });
		jest.advanceTimersByTime(5000);
		expect(listener).toHaveBeenCalledTimes(1);
	});

	it('runs a listener added after it passed at once', () => {
		const deadline = new Deadline(10);
		jest.advanceTimersByTime(10);
		const listener = jest.fn();
		deadline.onExpire(listener);
		expect(listener).toHaveBeenCalledTimes(1);
	});

	it('a removed listener is not run', () => {
		const deadline = new Deadline(10);
		const listener = jest.fn();
		deadline.onExpire(listener)();
		jest.advanceTimersByTime(10);
		expect(listener).not.toHaveBeenCalled();
		expect(deadline.listenerCount('abort')).toBe(0);
	});

	it('cleared, it never fires and holds no timer', () => {
		const deadline = new Deadline(10);
		const listener = jest.fn();
		deadline.onExpire(listener);
		deadline.clear();
		expect(jest.getTimerCount()).toBe(0);
		jest.advanceTimersByTime(100);
		expect(deadline.aborted).toBe(false);
		expect(listener).not.toHaveBeenCalled();
	});
});

describe('Deadline past what a timer holds', () => {
	it.each([MAX_TIMER_MS + 1, 3e9, 1e15])('a deadline of %j ms has not passed once other timers ran (main: it passed after 1 ms)', async (ms) => {
		const deadline = new Deadline(ms);
		try {
			await new Promise((resolve) => setTimeout(resolve, 10));
			expect(deadline.aborted).toBe(false);
		} finally {
			deadline.clear();
		}
	});
});
