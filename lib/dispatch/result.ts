import { MASK, type Redactor } from '../redact';
import type { DeliveryOutcome, FailureKind } from './deliver';
import type { PreparedRequest } from './request';

export type ResponseFormat = 'auto' | 'json' | 'text';

/** The answer's body, parsed per the format (JSON when asked for and it parses, else text), secrets masked. */
function presentBody(outcome: DeliveryOutcome, format: ResponseFormat, redactor: Redactor): unknown {
	const contentType = Object.entries(outcome.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
	const wantsJson = format === 'json' || (format === 'auto' && /\bjson\b/i.test(contentType ?? ''));
	const parsed = wantsJson ? redactor.json(outcome.bodyText) : undefined;
	if (parsed) return parsed.value;
	// A body cut short may end in the beginning of a secret.
	return outcome.bodyTruncated ? redactor.truncatedText(outcome.bodyText) : redactor.text(outcome.bodyText);
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

/** What stays the same for every item of a run: how the node's results are presented. */
export interface PresentationSettings {
	/** The integration's secret headers, masked by name wherever they appear in the request. */
	secretHeaderNames: readonly string[];
	redactor: Redactor;
	format: ResponseFormat;
}

export type ResultPresenter = (
	outcome: DeliveryOutcome,
	request: Pick<PreparedRequest, 'method' | 'url' | 'headers'>,
	transactionalId: string,
) => DispatchResult;

/**
 * The output item of one delivery, with secrets masked everywhere: secret headers of the request
 * by name, and every form of a secret value in the URL, the answer's headers and body (the body
 * is parsed first, so values the receiver escaped are masked where they decode), and errors.
 */
export function resultPresenter({ secretHeaderNames, redactor, format }: PresentationSettings): ResultPresenter {
	const secretNames = new Set(secretHeaderNames.map((name) => name.toLowerCase()));
	return (outcome, request, transactionalId) => {
		const requestHeaders = Object.fromEntries(
			Object.entries(request.headers).map(([name, value]) => [name, secretNames.has(name.toLowerCase()) ? MASK : redactor.text(value)]),
		);
		const result: DispatchResult = {
			success: outcome.success,
			statusCode: outcome.statusCode,
			headers: redactor.value(outcome.headers) as Record<string, string>,
			body: presentBody(outcome, format, redactor),
			transactionalId,
			attempts: outcome.attempts.map((attempt) => (attempt.error ? { ...attempt, error: redactor.text(attempt.error) } : attempt)),
			request: { method: request.method, url: redactor.text(request.url), headers: requestHeaders },
		};
		if (outcome.bodyTruncated) result.bodyTruncated = true;
		if (outcome.error) result.error = { kind: outcome.error.kind, message: redactor.text(outcome.error.message) };
		return result;
	};
}

/**
 * What a Success item holds: the whole result, or with Full Response off only the answer's
 * body, as the HTTP Request node gives it (an object as it is, any other body as `{body}`).
 */
export function successJson(result: DispatchResult, fullResponse: boolean): Record<string, unknown> {
	if (fullResponse) return result as unknown as Record<string, unknown>;
	const { body } = result;
	return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : { body };
}
