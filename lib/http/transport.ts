import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici';

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

export interface HttpCall {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	url: string;
	headers?: Record<string, string>;
	body?: string;
	timeoutMs: number;
	/** A dispatcher of the caller's (e.g. one that refuses private addresses); default: shared pools. */
	dispatcher?: Dispatcher;
}

export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, string>;
	bodyText: string;
	durationMs: number;
}

const KEEP_ALIVE = { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connections: 16 };
const pools = new Map<string, Dispatcher>();

/**
 * One keep-alive pool per origin, proxy-aware: HTTP_PROXY, HTTPS_PROXY and NO_PROXY are read
 * from the environment by undici's EnvHttpProxyAgent.
 */
export function poolFor(url: string): Dispatcher {
	const origin = new URL(url).origin;
	let pool = pools.get(origin);
	if (!pool) {
		pool = new EnvHttpProxyAgent(KEEP_ALIVE);
		pools.set(origin, pool);
	}
	return pool;
}

export function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(raw)) {
		if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return flat;
}

const NETWORK_CODES_MEANING_TIMEOUT = new Set([
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

function classify(error: unknown, timeoutMs: number, signal: AbortSignal): TransportError {
	if (error instanceof TransportError) return error;
	const cause = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
	const code = cause.code ?? cause.cause?.code;
	if (code === 'BLOCKED_ADDRESS') return new TransportError('blocked', cause.message ?? cause.cause?.message ?? 'address refused', code);
	if (signal.aborted || (code && NETWORK_CODES_MEANING_TIMEOUT.has(code))) {
		return new TransportError('timeout', `no answer within ${timeoutMs / 1000} s`, code);
	}
	const detail = cause.cause?.message ?? cause.message ?? String(error);
	return new TransportError('network', code ? `${code}: ${detail}` : detail, code);
}

/** Sends one request and reads the whole answer; fails with a TransportError when none came. */
export async function sendHttp(call: HttpCall): Promise<HttpAnswer> {
	const started = performance.now();
	const signal = AbortSignal.timeout(call.timeoutMs);
	try {
		const answer = await request(call.url, {
			method: call.method,
			headers: call.headers,
			body: call.body,
			signal,
			dispatcher: call.dispatcher ?? poolFor(call.url),
		});
		const bodyText = await answer.body.text();
		return {
			statusCode: answer.statusCode,
			headers: flattenHeaders(answer.headers),
			bodyText,
			durationMs: Math.round(performance.now() - started),
		};
	} catch (error) {
		throw classify(error, call.timeoutMs, signal);
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
