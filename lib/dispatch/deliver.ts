import { transportFailureMessage } from '../http/failureMessage';
import { header } from '../http/headers';
import { sendHttp, type EgressPolicy, type HttpAnswer, type TransportError } from '../http/transport';
import { signStandardWebhook } from '../verify';
import { backoffDelay, retryAfterMs } from './backoff';
import { privateNetworkGuard } from './networkGuard';
import { sendFollowingRedirects, type RedirectPolicy } from './redirects';
import type { Clock } from './clock';
import { sleepUnlessStopped, STOPPED, unlessStopped } from './stop';
import type { Limiter } from './rateLimiter';
import type { PreparedRequest } from './request';

/**
 * `rateLimit`: the shared rate limit (Redis) could not be applied, so nothing more was sent.
 * `canceled`: the execution was stopped before the request was sent.
 */
export type FailureKind = 'template' | 'http' | 'network' | 'timeout' | 'blocked' | 'rateLimit' | 'canceled';

export interface Attempt {
	attempt: number;
	startedAt: string;
	durationMs: number;
	statusCode?: number;
	error?: string;
	retryAfterMs?: number;
}

export interface DeliveryPolicy {
	maxRetries: number;
	retryWindowMs: number;
	timeoutMs: number;
	signingSecret?: string;
	/** Refuse loopback, private, link-local and metadata addresses, after DNS resolution. */
	blockPrivateNetworks: boolean;
	/** The n8n instance's own outbound policy, applied in addition to Block Private Networks. */
	instanceEgress?: EgressPolicy;
	/** Follow redirects (off when absent). */
	redirects?: RedirectPolicy;
}

export interface DeliveryDeps {
	clock: Clock;
	limiter?: Limiter;
	random?: () => number;
	/** The execution's cancel signal: once it aborts, no attempt starts and every wait ends. */
	signal?: AbortSignal;
}

export interface DeliveryOutcome {
	success: boolean;
	statusCode: number | null;
	headers: Record<string, string>;
	bodyText: string;
	bodyTruncated: boolean;
	attempts: Attempt[];
	error?: { kind: FailureKind; message: string };
}

const isRetryableStatus = (status: number) => status >= 500 || status === 429;

/** The outcome of a request refused before any attempt (a template error, a blocked address). */
export function notSent(kind: FailureKind, message: string): DeliveryOutcome {
	return { success: false, statusCode: null, headers: {}, bodyText: '', bodyTruncated: false, attempts: [], error: { kind, message } };
}

/** A blocked address keeps the guard's own message: it already says what refused it. */
const DELIVERY_WORDING = { unreachable: (detail: string) => `Could not connect: ${detail}`, blocked: (detail: string) => detail };

const STOPPED_MESSAGE = 'Not sent: the execution was stopped';

/**
 * Sends one request until it succeeds or may not be retried. Retries only when the request
 * carries its transactional id (so the receiver can drop repeats): 5xx, 429, timeouts and
 * connection errors, up to `maxRetries`, while the next attempt still starts inside the
 * window; with full-jitter backoff, or the receiver's Retry-After when it fits. The window
 * starts at the first attempt and covers every wait after it, rate-limit slots included.
 * When the execution is stopped (`deps.signal`), no attempt starts any more and every wait
 * (rate-limit slot, backoff, Retry-After) ends at once; a request in flight ends by its own
 * deadline.
 */
export async function deliver(request: PreparedRequest, transactionalId: string, policy: DeliveryPolicy, deps: DeliveryDeps): Promise<DeliveryOutcome> {
	const { clock, signal } = deps;
	const attempts: Attempt[] = [];
	const egress = policy.blockPrivateNetworks ? privateNetworkGuard(policy.instanceEgress) : policy.instanceEgress;
	// Time spent queueing for the first slot is not part of the retry window.
	try {
		if (deps.limiter && (await unlessStopped(deps.limiter.acquire(undefined, signal), signal)) === STOPPED) return notSent('canceled', STOPPED_MESSAGE);
	} catch (error) {
		return notSent('rateLimit', (error as Error).message);
	}
	if (signal?.aborted) return notSent('canceled', STOPPED_MESSAGE);
	const windowEnd = clock.now() + policy.retryWindowMs;
	for (let attempt = 1; ; attempt++) {
		const startedAt = clock.now();
		let headers = request.headers;
		if (policy.signingSecret) {
			const timestamp = Math.floor(startedAt / 1000);
			headers = {
				...headers,
				'webhook-id': transactionalId,
				'webhook-timestamp': String(timestamp),
				'webhook-signature': signStandardWebhook(policy.signingSecret, transactionalId, timestamp, request.body ?? ''),
			};
		}
		let answer: HttpAnswer | undefined;
		let failure: TransportError | undefined;
		try {
			const call = { method: request.method, url: request.url, headers, body: request.body, timeoutMs: policy.timeoutMs, egress };
			answer = await (policy.redirects ? sendFollowingRedirects(call, policy.redirects) : sendHttp(call));
		} catch (error) {
			// sendHttp turns every failure into a TransportError.
			failure = error as TransportError;
		}
		const record: Attempt = { attempt, startedAt: new Date(startedAt).toISOString(), durationMs: Math.max(0, clock.now() - startedAt) };
		attempts.push(record);

		if (answer && answer.statusCode >= 200 && answer.statusCode < 300) {
			record.statusCode = answer.statusCode;
			return { success: true, statusCode: answer.statusCode, headers: answer.headers, bodyText: answer.bodyText, bodyTruncated: answer.bodyTruncated, attempts };
		}

		let error: DeliveryOutcome['error'];
		let retryable: boolean;
		let wait: number | undefined;
		if (answer) {
			record.statusCode = answer.statusCode;
			error = { kind: 'http', message: `The receiver answered ${answer.statusCode}` };
			retryable = isRetryableStatus(answer.statusCode);
			const retryAfter = retryAfterMs(header(answer.headers, 'retry-after'), clock.now());
			if (retryAfter !== undefined) record.retryAfterMs = retryAfter;
			wait = retryAfter;
		} else {
			const kind = failure!.kind;
			record.error = failure!.message;
			error = { kind, message: transportFailureMessage(failure!, { timeoutMs: policy.timeoutMs, ...DELIVERY_WORDING }) };
			retryable = kind !== 'blocked';
		}
		const stop = (reason?: string): DeliveryOutcome => ({
			success: false,
			statusCode: answer?.statusCode ?? null,
			headers: answer?.headers ?? {},
			bodyText: answer?.bodyText ?? '',
			bodyTruncated: answer?.bodyTruncated ?? false,
			attempts,
			error: reason ? { kind: error!.kind, message: `${error!.message}; ${reason}` } : error,
		});

		if (!retryable) return stop();
		if (!request.carriesTransactionalId) return stop('not retried: the request does not carry its transactional id');
		if (attempt > policy.maxRetries) return stop(`gave up after ${attempt} attempts`);
		const delay = wait ?? backoffDelay(attempt, deps.random);
		const windowSeconds = Math.round(policy.retryWindowMs / 1000);
		if (clock.now() + delay > windowEnd) {
			return stop(`the next attempt (in ${Math.round(delay / 1000)} s) would fall outside the ${windowSeconds} s retry window`);
		}
		const stopped = 'not retried: the execution was stopped';
		if (!(await sleepUnlessStopped(clock, delay, signal))) return stop(stopped);
		// The wait for a rate-limit slot counts too: an attempt never starts after the window.
		let slot: boolean | typeof STOPPED = true;
		try {
			if (deps.limiter) slot = await unlessStopped(deps.limiter.acquire(windowEnd, signal), signal);
		} catch (limitError) {
			return stop(`not retried: ${(limitError as Error).message}`);
		}
		if (slot === STOPPED || signal?.aborted) return stop(stopped);
		if (!slot) return stop(`the next rate-limit slot would fall outside the ${windowSeconds} s retry window`);
	}
}
