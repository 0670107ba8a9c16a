import { Deadline } from '../http/deadline';
import { sendHttp, type HttpAnswer, type HttpCall } from '../http/transport';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that prove who the sender is to the first origin; never handed to another. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'webhook-id', 'webhook-timestamp', 'webhook-signature'];

export interface RedirectPolicy {
	maxRedirects: number;
	/** The integration's secret header names: dropped, with CREDENTIAL_HEADERS, on a hop to another origin. */
	secretHeaderNames: readonly string[];
}

/** Where a redirect leads, when it leads somewhere a request can go: an http(s) URL that parses. */
function redirectTarget(location: string | undefined, from: string): URL | undefined {
	if (location === undefined || location.trim() === '') return undefined;
	let next: URL;
	try {
		next = new URL(location, from);
	} catch {
		return undefined;
	}
	return next.protocol === 'http:' || next.protocol === 'https:' ? next : undefined;
}

/**
 * Sends a request and follows at most `maxRedirects` redirects; past that, or when the Location
 * is empty, does not parse or is not http(s), the redirect itself is the answer. The call's
 * timeout bounds the whole chain, not each hop. Every hop connects through the call's egress
 * policy, so Block Private Networks and the instance policy judge each new target before
 * anything is sent to it. Once a hop leaves the origin, secret and credential headers are gone
 * for good. 303, and 301/302 after a POST, continue as a GET without body, as browsers and
 * n8n's HTTP Request node do.
 */
export async function sendFollowingRedirects(call: HttpCall, policy: RedirectPolicy): Promise<HttpAnswer> {
	const secretNames = new Set([...CREDENTIAL_HEADERS, ...policy.secretHeaderNames.map((name) => name.toLowerCase())]);
	const deadline = call.deadline ?? new Deadline(call.timeoutMs);
	let current: HttpCall = { ...call, deadline };
	try {
		for (let hop = 0; ; hop++) {
			const answer = await sendHttp(current);
			if (!REDIRECT_STATUSES.has(answer.statusCode) || hop >= policy.maxRedirects) return answer;
			const next = redirectTarget(answer.headers.location, current.url);
			if (!next) return answer;
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
	} finally {
		if (!call.deadline) deadline.clear();
	}
}
