import { notSent, resultPresenter, type DeliveryOutcome } from '../../lib/dispatch';
import { Redactor } from '../../lib/redact';

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
