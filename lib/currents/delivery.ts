import { refusedHeader } from '../http/headers';
import { sendHttp, type EgressPolicy, type HttpAnswer } from '../http/transport';
import { InputError, parseHookHeaders, type Webhook } from './contract';
import type { CurrentsRunEvent } from './samples';

export interface RunEventRequest {
	headers: Record<string, string>;
	body: string;
}

/** Set on every delivery, in place of a hook header of the same name in any case. */
const DELIVERY_HEADERS = ['content-type', 'x-timestamp'];

/**
 * A run event as Currents delivers it: a JSON POST carrying the hook's custom headers and a
 * fresh `x-timestamp` in epoch milliseconds. A header no HTTP client can send (one edited on
 * the platform, say) is an InputError naming it, so it is never reported as an unreachable URL.
 */
export function runEventRequest(hook: Pick<Webhook, 'headers'>, payload: CurrentsRunEvent, now: () => number = Date.now): RunEventRequest {
	const body = JSON.stringify(payload);
	const custom = Object.entries(parseHookHeaders(hook.headers)).filter(([name]) => !DELIVERY_HEADERS.includes(name.toLowerCase()));
	const headers = { ...Object.fromEntries(custom), 'content-type': 'application/json', 'x-timestamp': String(now()) };
	const refused = refusedHeader(headers, { bytes: Buffer.byteLength(body) });
	if (refused) throw new InputError('headers', `The webhook's header ${JSON.stringify(refused.name)}: ${refused.reason}; fix it on the webhook`);
	return { headers, body };
}

/** Sends a run event prepared by runEventRequest to the hook's URL. */
export async function deliverRunEvent(url: string, request: RunEventRequest, timeoutMs: number, egress?: EgressPolicy): Promise<HttpAnswer> {
	return await sendHttp({ method: 'POST', url, headers: request.headers, body: request.body, timeoutMs, egress });
}
