import { headerProblem } from '../http/headers';
import { sendHttp, type EgressPolicy, type HttpAnswer } from '../http/transport';
import { InputError, parseHookHeaders, type Webhook } from './contract';
import type { CurrentsRunEvent } from './samples';

/**
 * The hook's custom headers; a header no HTTP client can send (one edited on the platform, say)
 * is an InputError naming it, so it is never reported as an unreachable URL.
 */
export function sendableHookHeaders(hook: Pick<Webhook, 'headers'>): Record<string, string> {
	const headers = parseHookHeaders(hook.headers);
	for (const [name, value] of Object.entries(headers)) {
		const problem = headerProblem(name, value);
		if (problem) throw new InputError('headers', `The webhook's header ${JSON.stringify(name)}: ${problem}; fix it on the webhook`);
	}
	return headers;
}

/**
 * Delivers a run event to a webhook the way Currents does: a JSON POST carrying the hook's
 * custom headers and a fresh `x-timestamp` in epoch milliseconds.
 */
export async function deliverRunEvent(
	hook: Pick<Webhook, 'url' | 'headers'>,
	payload: CurrentsRunEvent,
	timeoutMs: number,
	egress?: EgressPolicy,
	now: () => number = Date.now,
): Promise<HttpAnswer> {
	return await sendHttp({
		method: 'POST',
		url: hook.url,
		headers: {
			...sendableHookHeaders(hook),
			'content-type': 'application/json',
			'x-timestamp': String(now()),
		},
		body: JSON.stringify(payload),
		timeoutMs,
		egress,
	});
}
