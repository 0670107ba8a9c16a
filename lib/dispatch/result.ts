import { jsonOrText } from '../http/transport';
import { MASK, redact } from '../redact';
import type { DeliveryOutcome, FailureKind } from './deliver';
import type { PreparedRequest } from './request';

export type ResponseFormat = 'auto' | 'json' | 'text';

function parseBody(text: string, format: ResponseFormat, contentType: string | undefined): unknown {
	if (format === 'text' || text === '') return text;
	if (format === 'auto' && !/\bjson\b/i.test(contentType ?? '')) return text;
	return jsonOrText(text);
}

export interface DispatchResult {
	success: boolean;
	statusCode: number | null;
	headers: Record<string, string>;
	body: unknown;
	/** Present when the receiver's body was longer than what is kept (MAX_KEPT_BODY_BYTES) or cut off. */
	bodyTruncated?: true;
	transactionalId: string;
	attempts: DeliveryOutcome['attempts'];
	request: { method: string; url: string; headers: Record<string, string> };
	error?: { kind: FailureKind; message: string };
}

/** The output item of one delivery: secrets masked in the request, the response and the error. */
export function presentResult(
	outcome: DeliveryOutcome,
	request: Pick<PreparedRequest, 'method' | 'url' | 'headers'>,
	transactionalId: string,
	secretHeaderNames: readonly string[],
	secrets: readonly string[],
	format: ResponseFormat,
): DispatchResult {
	const secretNames = new Set(secretHeaderNames.map((name) => name.toLowerCase()));
	const requestHeaders = Object.fromEntries(
		Object.entries(request.headers).map(([name, value]) => [name, secretNames.has(name.toLowerCase()) ? MASK : redact(value, secrets)]),
	);
	const responseHeaders = Object.fromEntries(Object.entries(outcome.headers).map(([name, value]) => [name, redact(value, secrets)]));
	const contentType = Object.entries(outcome.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
	const result: DispatchResult = {
		success: outcome.success,
		statusCode: outcome.statusCode,
		headers: responseHeaders,
		body: parseBody(redact(outcome.bodyText, secrets), format, contentType),
		transactionalId,
		attempts: outcome.attempts.map((attempt) => (attempt.error ? { ...attempt, error: redact(attempt.error, secrets) } : attempt)),
		request: { method: request.method, url: redact(request.url, secrets), headers: requestHeaders },
	};
	if (outcome.bodyTruncated) result.bodyTruncated = true;
	if (outcome.error) result.error = { kind: outcome.error.kind, message: redact(outcome.error.message, secrets) };
	return result;
}
