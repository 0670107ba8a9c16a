import { sendHttp, type HttpAnswer, type HttpCall } from '../http/transport';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that prove who the sender is to the first origin; never handed to another. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'webhook-id', 'webhook-timestamp', 'webhook-signature'];

export interface RedirectPolicy {
	maxRedirects: number;
	/** The integration's secret header names: dropped, with CREDENTIAL_HEADERS, on a hop to another origin. */
	secretHeaderNames: readonly string[];
}

/**
 * Sends a request and follows at most `maxRedirects` redirects; past that, the redirect itself
 * is the answer. Every hop connects through the call's egress policy, so Block Private
 * Networks and the instance policy judge each new target before anything is sent to it. Once
 * a hop leaves the origin, secret and credential headers are gone for good. 303, and 301/302
 * after a POST, continue as a GET without body, as browsers and n8n's HTTP Request node do.
 */
export async function sendFollowingRedirects(call: HttpCall, policy: RedirectPolicy): Promise<HttpAnswer> {
	const secretNames = new Set([...CREDENTIAL_HEADERS, ...policy.secretHeaderNames.map((name) => name.toLowerCase())]);
	let current = call;
	for (let hop = 0; ; hop++) {
		const answer = await sendHttp(current);
		const location = answer.headers.location;
		if (!REDIRECT_STATUSES.has(answer.statusCode) || location === undefined || hop >= policy.maxRedirects) return answer;
		const next = new URL(location, current.url);
		if (next.protocol !== 'http:' && next.protocol !== 'https:') return answer;
		const leavesOrigin = next.origin !== new URL(current.url).origin;
		const asGet = answer.statusCode === 303 || ((answer.statusCode === 301 || answer.statusCode === 302) && current.method === 'POST');
		const headers = Object.fromEntries(
			Object.entries(current.headers ?? {}).filter(([name]) => {
				const lower = name.toLowerCase();
				return !(leavesOrigin && secretNames.has(lower)) && !(asGet && lower === 'content-type');
			}),
		);
		current = { ...current, url: next.href, headers, method: asGet ? 'GET' : current.method, body: asGet ? undefined : current.body };
	}
}
