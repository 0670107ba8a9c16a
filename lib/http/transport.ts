import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { exchange, type CollectedAnswer } from './answerCollector';
import { createConnector } from './connector';
import { Deadline } from './deadline';
import { proxyFor } from './proxyEnv';

/** Why a request produced no HTTP answer. */
export type TransportFailureKind = 'timeout' | 'network' | 'blocked';

export class TransportError extends Error {
	constructor(
		readonly kind: TransportFailureKind,
		message: string,
		readonly code?: string,
	) {
		super(message);
		this.name = 'TransportError';
	}
}

/**
 * Which addresses requests may reach: `lookup` (dns.lookup's signature) resolves a host, or
 * passes an IP literal through, and fails for what the policy refuses. The transport checks
 * every connection's target with it, direct or through a proxy. Keep one object per policy:
 * each gets its own connection pools.
 */
export interface EgressPolicy {
	readonly lookup: LookupFunction;
}

export interface HttpCall {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	url: string;
	headers?: Record<string, string>;
	body?: string;
	/** A deadline for the whole exchange: connecting (through a proxy too), sending, the answer. */
	timeoutMs: number;
	/** A deadline shared with other exchanges (the hops of a redirect chain), instead of one of its own. */
	deadline?: Deadline;
	egress?: EgressPolicy;
}

export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, string>;
	/** At most MAX_KEPT_BODY_BYTES of the answer's body. */
	bodyText: string;
	/** The body was longer than what is kept, or was cut off after the status arrived. */
	bodyTruncated: boolean;
	durationMs: number;
}

/** How much of an answer body is kept, decoded; the rest is not read, and the connection is closed. */
export const MAX_KEPT_BODY_BYTES = 1024 * 1024;

/** The content codings asked for, as n8n's HTTP Request node asks for them; a request's own Accept-Encoding wins. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

function withAcceptEncoding(headers: Record<string, string> | undefined): Record<string, string> {
	const own = Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'accept-encoding');
	return own ? headers! : { ...headers, 'accept-encoding': ACCEPT_ENCODING };
}

// The connection ceiling per origin sits above any sensible Concurrency, so that setting (not a
// hidden queue inside undici, whose wait would count against each request's timeout) is what
// bounds the requests in flight.
const KEEP_ALIVE = { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connections: 128 };
const unfilteredAgents = new Map<string, Dispatcher>();
const filteredAgents = new WeakMap<EgressPolicy, Map<string, Dispatcher>>();

/**
 * Keep-alive pools per egress policy, proxy (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, read at each
 * call) and timeout; undici's Agent keeps one pool per origin inside.
 */
function dispatcherFor(url: URL, timeoutMs: number, egress: EgressPolicy | undefined): Dispatcher {
	const proxy = proxyFor(url);
	const key = `${proxy?.href ?? 'direct'} ${timeoutMs}`;
	let byKey = egress ? filteredAgents.get(egress) : unfilteredAgents;
	if (!byKey) filteredAgents.set(egress!, (byKey = new Map()));
	let agent = byKey.get(key);
	if (!agent) {
		agent = new Agent({ ...KEEP_ALIVE, connect: createConnector({ proxy, lookup: egress?.lookup, timeoutMs }) });
		byKey.set(key, agent);
	}
	return agent;
}

const NETWORK_CODES_MEANING_TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'PROXY_CONNECT_TIMEOUT']);

function classify(error: unknown, timeoutMs: number, deadline: Deadline): TransportError {
	if (error instanceof TransportError) return error;
	const cause = error as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
	const code = cause.code ?? cause.cause?.code;
	if (code === 'BLOCKED_ADDRESS') return new TransportError('blocked', cause.message ?? 'address refused', code);
	// n8n's instance SSRF protection (SsrfBlockedIpError, SsrfBlockedHostnameError).
	if (cause.name?.startsWith('SsrfBlocked'))
		return new TransportError('blocked', `The n8n instance's SSRF protection refused it: ${cause.message}`, cause.name);
	if (deadline.aborted || (code && NETWORK_CODES_MEANING_TIMEOUT.has(code))) {
		return new TransportError('timeout', `no answer within ${timeoutMs / 1000} s`, code);
	}
	const detail = cause.cause?.message ?? cause.message ?? String(error);
	return new TransportError('network', code ? `${code}: ${detail}` : detail, code);
}

/** Sends one request; fails with a TransportError only when no status arrived. */
export async function sendHttp(call: HttpCall): Promise<HttpAnswer> {
	const started = performance.now();
	const deadline = call.deadline ?? new Deadline(call.timeoutMs);
	try {
		const url = new URL(call.url);
		const options = {
			origin: url.origin,
			path: `${url.pathname}${url.search}`,
			method: call.method,
			headers: withAcceptEncoding(call.headers),
			body: call.body,
		};
		let answer: CollectedAnswer;
		try {
			answer = await exchange(dispatcherFor(url, call.timeoutMs, call.egress), options, { deadline, limit: MAX_KEPT_BODY_BYTES });
		} catch (error) {
			throw classify(error, call.timeoutMs, deadline);
		}
		const { statusCode, headers, text, truncated } = answer;
		return { statusCode, headers, bodyText: text, bodyTruncated: truncated, durationMs: Math.round(performance.now() - started) };
	} finally {
		if (!call.deadline) deadline.clear();
	}
}

/** An answer body as JSON when it parses, otherwise as the text it is. */
export function jsonOrText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
