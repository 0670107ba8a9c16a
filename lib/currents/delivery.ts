import { sendHttp, type EgressPolicy, type HttpAnswer } from '../http/transport';
import { parseHookHeaders, type Webhook } from './contract';
import type { CurrentsRunEvent } from './samples';

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
			...parseHookHeaders(hook.headers),
			'content-type': 'application/json',
			'x-timestamp': String(now()),
		},
		body: JSON.stringify(payload),
		timeoutMs,
		egress,
	});
}
