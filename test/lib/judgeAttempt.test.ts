import { judgeAttempt, type AttemptResult } from '../../lib/dispatch';
import { TransportError, type HttpAnswer } from '../../lib/http/transport';

// The pure step of deliver(): what one attempt's answer or transport failure means.
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const context = { timeoutMs: 2500, nowMs: NOW };

function answered(statusCode: number, headers: Record<string, string> = {}): AttemptResult {
	const answer: HttpAnswer = { statusCode, headers, bodyText: '', bodyTruncated: false, durationMs: 1 };
	return { answer };
}
const failed = (kind: TransportError['kind'], message: string): AttemptResult => ({ failure: new TransportError(kind, message) });

describe('judgeAttempt: the answer’s status', () => {
	it.each([200, 201, 299])('%i is delivered, with nothing more to say', (status) => {
		expect(judgeAttempt(answered(status), context)).toEqual({ delivered: true });
	});

	it.each([
		[199, false],
		[300, false],
		[404, false],
		[499, false],
		[429, true],
		[500, true],
		[599, true],
	])('%i is an HTTP error; retryable: %s', (status, retryable) => {
		expect(judgeAttempt(answered(status), context)).toEqual({
			delivered: false,
			error: { kind: 'http', message: `The receiver answered ${status}` },
			retryable,
		});
	});
});

describe('judgeAttempt: the receiver’s Retry-After', () => {
	it('delta seconds become the wait, whatever the header name’s case', () => {
		expect(judgeAttempt(answered(503, { 'Retry-After': '7' }), context)).toMatchObject({ retryable: true, waitMs: 7000 });
		expect(judgeAttempt(answered(429, { 'retry-after': ' 0 ' }), context)).toMatchObject({ retryable: true, waitMs: 0 });
	});

	it('an HTTP date is read against the given moment; one in the past is no wait', () => {
		const in90s = new Date(NOW + 90_000).toUTCString();
		expect(judgeAttempt(answered(503, { 'retry-after': in90s }), context)).toMatchObject({ waitMs: 90_000 });
		const past = new Date(NOW - 60_000).toUTCString();
		expect(judgeAttempt(answered(503, { 'retry-after': past }), context)).toMatchObject({ waitMs: 0 });
	});

	it('an unreadable value names no wait (backoff then applies)', () => {
		for (const value of ['soon', '', 'Wed, 99 Foo 2026 00:00:00 GMT']) {
			expect(judgeAttempt(answered(503, { 'retry-after': value }), context)).not.toHaveProperty('waitMs');
		}
	});

	it('is kept on an answer that is not retried (the attempt records it), and ignored on a delivered one', () => {
		expect(judgeAttempt(answered(400, { 'retry-after': '3' }), context)).toEqual({
			delivered: false,
			error: { kind: 'http', message: 'The receiver answered 400' },
			retryable: false,
			waitMs: 3000,
		});
		expect(judgeAttempt(answered(200, { 'retry-after': '3' }), context)).toEqual({ delivered: true });
	});
});

describe('judgeAttempt: a transport failure', () => {
	it('timeout: retryable, told with the deadline in seconds', () => {
		expect(judgeAttempt(failed('timeout', 'socket hang up after 2500 ms'), context)).toEqual({
			delivered: false,
			error: { kind: 'timeout', message: 'No answer within 2.5 s' },
			retryable: true,
		});
	});

	it('network: retryable, with the transport’s detail', () => {
		expect(judgeAttempt(failed('network', 'connect ECONNREFUSED 127.0.0.1:1'), context)).toEqual({
			delivered: false,
			error: { kind: 'network', message: 'Could not connect: connect ECONNREFUSED 127.0.0.1:1' },
			retryable: true,
		});
	});

	it('blocked: never retried, and the guard’s own message is kept as it is', () => {
		const message = 'Blocked: 10.0.0.5 is a private address (Block Private Networks is on)';
		expect(judgeAttempt(failed('blocked', message), context)).toEqual({ delivered: false, error: { kind: 'blocked', message }, retryable: false });
	});

	it('names no wait, whatever the deadline', () => {
		expect(judgeAttempt(failed('timeout', 'late'), { timeoutMs: 60_000, nowMs: NOW })).not.toHaveProperty('waitMs');
	});
});
