import { resultPresenter, successJson, type Attempt, type DeliveryOutcome, type DispatchResult, type ResponseFormat, notSent } from '../../../lib/dispatch';
import { Redactor } from '../../../lib/redact';

// Mutation-driven tests of lib/dispatch/result.ts: how the answer's body is read, what the item holds.
const SECRET = 'tok_9f8e7d6c5b4a3210';
const redactor = new Redactor([SECRET]);
const request = { method: 'POST' as const, url: 'https://hooks.example.com/x', headers: { 'X-Plain': 'visible' } };

function outcome(bodyText: string, headers: Record<string, string>, extra: Partial<DeliveryOutcome> = {}): DeliveryOutcome {
	return { success: true, statusCode: 200, headers, bodyText, bodyTruncated: false, attempts: [], ...extra };
}
const JSON_TYPE = { 'content-type': 'application/json' };
const TEXT_TYPE = { 'content-type': 'text/plain' };
const presentAs = (format: ResponseFormat) => resultPresenter({ secretHeaderNames: [], redactor, format });

describe('resultPresenter: the response format decides how the body is read', () => {
	it('text: a JSON body with a JSON content type stays a string', () => {
		expect(presentAs('text')(outcome('{"a":1}', JSON_TYPE), request, 'tx').body).toBe('{"a":1}');
	});

	it('json: a JSON body is parsed whatever the content type says', () => {
		expect(presentAs('json')(outcome('{"a":1}', TEXT_TYPE), request, 'tx').body).toEqual({ a: 1 });
	});

	it('json: a body that is not JSON stays a string', () => {
		expect(presentAs('json')(outcome('not json', JSON_TYPE), request, 'tx').body).toBe('not json');
	});

	it('auto: parsed when the content type names json (any case, with parameters)', () => {
		expect(presentAs('auto')(outcome('[1,2]', { 'Content-Type': 'application/problem+JSON; charset=utf-8' }), request, 'tx').body).toEqual([1, 2]);
	});

	it('auto: a JSON-looking body with a non-JSON content type stays a string', () => {
		expect(presentAs('auto')(outcome('{"a":1}', TEXT_TYPE), request, 'tx').body).toBe('{"a":1}');
	});

	it('auto: without a content type the body stays a string', () => {
		expect(presentAs('auto')(outcome('123', {}), request, 'tx').body).toBe('123');
	});

	it('auto: "json" must be a word of the content type, not part of one', () => {
		expect(presentAs('auto')(outcome('123', { 'content-type': 'application/jsonish' }), request, 'tx').body).toBe('123');
	});

	it('auto: only the content-type header counts, not another header holding a JSON type', () => {
		const headers = { 'x-original-type': 'application/json', 'content-type': 'text/plain' };
		expect(presentAs('auto')(outcome('{"a":1}', headers), request, 'tx').body).toBe('{"a":1}');
	});

	it('an empty body is an empty string in every format', () => {
		for (const format of ['auto', 'json', 'text'] as const) {
			expect(presentAs(format)(outcome('', JSON_TYPE), request, 'tx').body).toBe('');
		}
	});
});

describe('resultPresenter: masking and the fields of the item', () => {
	it('secret header names are matched without regard to case, both ways', () => {
		const headers = { authorization: 'Basic c2hvcnQ=', 'X-Api-Key': 'not-in-the-redactor' };
		const presentWith = resultPresenter({ secretHeaderNames: ['AUTHORIZATION', 'x-api-key'], redactor: new Redactor([]), format: 'auto' });
		const result = presentWith(outcome('', {}), { ...request, headers }, 'tx');
		expect(result.request.headers).toEqual({ authorization: '***', 'X-Api-Key': '***' });
	});

	it('a whole text body that ends in the beginning of a secret is kept as it is (only a cut body is trimmed)', () => {
		const result = presentAs('auto')(outcome('ends with tok_9f8e7d6c', TEXT_TYPE), request, 'tx');
		expect(result.body).toBe('ends with tok_9f8e7d6c');
		expect(result).not.toHaveProperty('bodyTruncated');
	});

	it('a cut body that still parses as JSON is given parsed, masked, and marked truncated', () => {
		const result = presentAs('auto')(outcome(`["${SECRET}"]`, JSON_TYPE, { bodyTruncated: true }), request, 'tx');
		expect(result.body).toEqual(['***']);
		expect(result.bodyTruncated).toBe(true);
	});

	it('attempts: errors are masked, attempts without an error are kept as they are', () => {
		const attempts: Attempt[] = [
			{ attempt: 1, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 5, error: `connect refused for ${SECRET}` },
			{ attempt: 2, startedAt: '2026-01-01T00:00:01.000Z', durationMs: 7, statusCode: 200 },
		];
		const result = presentAs('auto')(outcome('', {}, { attempts }), request, 'tx');
		expect(result.attempts).toEqual([{ ...attempts[0], error: 'connect refused for ***' }, attempts[1]]);
	});

	it('the item carries status, success, transactional id, masked URL and answer headers, and no error when there was none', () => {
		const result = presentAs('auto')(
			outcome('ok', { 'x-echo': SECRET }, { statusCode: 201 }),
			{ ...request, url: `https://hooks.example.com/x?t=${SECRET}` },
			'tx-1',
		);
		expect(result).toEqual({
			success: true,
			statusCode: 201,
			headers: { 'x-echo': '***' },
			body: 'ok',
			transactionalId: 'tx-1',
			attempts: [],
			request: { method: 'POST', url: 'https://hooks.example.com/x?t=***', headers: { 'X-Plain': 'visible' } },
		});
	});
});

describe('successJson: what a Success item holds', () => {
	function withBody(body: unknown): DispatchResult {
		return {
			success: true,
			statusCode: 200,
			headers: {},
			body,
			transactionalId: 'tx',
			attempts: [],
			request: { method: 'POST', url: 'https://h', headers: {} },
		};
	}

	it('Full Response on: the whole result', () => {
		const result = withBody({ a: 1 });
		expect(successJson(result, true)).toBe(result);
	});

	it('Full Response off: an object body as it is', () => {
		expect(successJson(withBody({ a: 1 }), false)).toEqual({ a: 1 });
	});

	it('Full Response off: an array, a string, a number and null are wrapped as {body}', () => {
		expect(successJson(withBody([1]), false)).toEqual({ body: [1] });
		expect(successJson(withBody('text'), false)).toEqual({ body: 'text' });
		expect(successJson(withBody(3), false)).toEqual({ body: 3 });
		expect(successJson(withBody(null), false)).toEqual({ body: null });
	});
});

describe('resultPresenter: secrets masked', () => {
	const SECRET = 'Bearer tok_9f8e7d6c5b4a3210';
	const redactor = new Redactor([SECRET]);
	const request = { method: 'POST' as const, url: 'https://hooks.example.com/x', headers: { Authorization: SECRET, 'X-Echo': 'tok_9f8e7d6c5b4a3210' } };

	function answered(bodyText: string, extra: Partial<DeliveryOutcome> = {}): DeliveryOutcome {
		return { success: true, statusCode: 200, headers: { 'content-type': 'application/json' }, bodyText, bodyTruncated: false, attempts: [], ...extra };
	}

	const present = resultPresenter({ secretHeaderNames: ['Authorization'], redactor, format: 'auto' });

	describe('resultPresenter masks secrets in what the node returns', () => {
		it('a body cut short at the size cap that ends in the beginning of a secret: that beginning is masked', () => {
			const result = present(answered('{"echo": "tok_9f8e7d6c', { bodyTruncated: true }), request, 'tx');
			expect(result.body).toBe('{"echo": "***');
			expect(result.bodyTruncated).toBe(true);
		});

		it('a whole body is parsed, then masked where its values decode', () => {
			const result = present(answered('{"echo": "tok_9f8e7d6c5b4a3210", "tok": "tok_9f8e7d6c"}'), request, 'tx');
			// Not cut: a value that merely starts like the secret stays as it is.
			expect(result.body).toEqual({ echo: '***', tok: 'tok_9f8e7d6c' });
		});

		it('request headers: secret ones by name, others where they hold a secret; errors too', () => {
			const presentWith = resultPresenter({ secretHeaderNames: ['authorization'], redactor, format: 'auto' });
			const result = presentWith(notSent('template', `header X-Echo: ${SECRET}`), request, 'tx');
			expect(result.request.headers).toEqual({ Authorization: '***', 'X-Echo': '***' });
			expect(result.error).toEqual({ kind: 'template', message: 'header X-Echo: ***' });
		});
	});
});
