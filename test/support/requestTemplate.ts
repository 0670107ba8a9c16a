import { prepareRequest, RequestError, type RequestTemplate } from '../../lib/dispatch';

/** Webhook Dispatch's template with nothing set: a POST of `{}` as JSON to a closed loopback port. Tests override what they are about. */
export function requestTemplate(overrides: Partial<RequestTemplate> = {}): RequestTemplate {
	return {
		method: 'POST',
		rootUrl: 'http://127.0.0.1:1/api',
		path: '',
		query: [],
		inheritedHeaders: {},
		secretHeaders: {},
		nodeHeaders: [],
		excludeInheritedHeaders: [],
		bodyContentType: 'json',
		body: '{}',
		signed: false,
		...overrides,
	};
}

/** The transactional id sent as a header: the request may be retried. */
export const IDEMPOTENCY_KEY_HEADERS = [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }];

/** The RequestError preparing `template` throws; fails when it prepares without one. */
export function preparationRefusal(template: RequestTemplate, item: object, transactionalId: string): RequestError {
	try {
		prepareRequest(template, item, transactionalId);
	} catch (error) {
		if (error instanceof RequestError) return error;
		throw error;
	}
	throw new Error('prepared without an error');
}
