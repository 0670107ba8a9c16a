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
	/** A whsec_ secret, or its key already decoded (once per run, not per attempt). */
	signingSecret?: string | Buffer;
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
const STOPPED_RETRY = 'not retried: the execution was stopped';

export type DeliveryError = NonNullable<DeliveryOutcome['error']>;

/** What one attempt brought back: the receiver's answer, or the transport's failure to get one. */
export type AttemptResult = { answer: HttpAnswer; failure?: undefined } | { answer?: undefined; failure: TransportError };

/** A failed attempt: its error, whether it may be retried, and the wait the receiver asked for (Retry-After). */
export interface FailedAttempt {
	delivered: false;
	error: DeliveryError;
	retryable: boolean;
	waitMs?: number;
}

/** What an attempt means: delivered, or failed. */
export type Verdict = { delivered: true } | FailedAttempt;

/**
 * Judges one attempt. Delivered: a 2xx answer. Retryable: 5xx, 429, timeouts and connection
 * errors, never an address the outbound policy blocked. `waitMs`: the answer's Retry-After,
 * read against `nowMs`.
 */
export function judgeAttempt(result: AttemptResult, context: { timeoutMs: number; nowMs: number }): Verdict {
	const { answer, failure } = result;
	if (failure) {
		const message = transportFailureMessage(failure, { timeoutMs: context.timeoutMs, ...DELIVERY_WORDING });
		return { delivered: false, error: { kind: failure.kind, message }, retryable: failure.kind !== 'blocked' };
	}
	if (answer.statusCode >= 200 && answer.statusCode < 300) return { delivered: true };
	const error: DeliveryError = { kind: 'http', message: `The receiver answered ${answer.statusCode}` };
	const verdict: FailedAttempt = { delivered: false, error, retryable: isRetryableStatus(answer.statusCode) };
	const retryAfter = retryAfterMs(header(answer.headers, 'retry-after'), context.nowMs);
	if (retryAfter !== undefined) verdict.waitMs = retryAfter;
	return verdict;
}

/** The request's headers for an attempt starting at `startedAtMs`: with a signing secret, signed for that moment (Standard Webhooks). */
function signedHeaders(
	request: PreparedRequest,
	transactionalId: string,
	signingSecret: string | Buffer | undefined,
	startedAtMs: number,
): Record<string, string> {
	if (!signingSecret) return request.headers;
	const timestamp = Math.floor(startedAtMs / 1000);
	return {
		...request.headers,
		'webhook-id': transactionalId,
		'webhook-timestamp': String(timestamp),
		'webhook-signature': signStandardWebhook(signingSecret, transactionalId, timestamp, request.body ?? ''),
	};
}

/** One HTTP call; a failure to get an answer is a result too, judged like an answer. */
async function sendAttempt(
	request: PreparedRequest,
	headers: Record<string, string>,
	policy: DeliveryPolicy,
	egress: EgressPolicy | undefined,
): Promise<AttemptResult> {
	const call = { method: request.method, url: request.url, headers, body: request.body, timeoutMs: policy.timeoutMs, egress };
	try {
		return { answer: await (policy.redirects ? sendFollowingRedirects(call, policy.redirects) : sendHttp(call)) };
	} catch (error) {
		// sendHttp turns every failure into a TransportError.
		return { failure: error as TransportError };
	}
}

/** The attempt as the result's `attempts` list shows it. */
function attemptRecord(attempt: number, startedAtMs: number, endedAtMs: number, result: AttemptResult, verdict: Verdict): Attempt {
	const record: Attempt = { attempt, startedAt: new Date(startedAtMs).toISOString(), durationMs: Math.max(0, endedAtMs - startedAtMs) };
	if (result.answer) record.statusCode = result.answer.statusCode;
	else record.error = result.failure.message;
	if (!verdict.delivered && verdict.waitMs !== undefined) record.retryAfterMs = verdict.waitMs;
	return record;
}

/** The outcome of the last attempt: delivered, or failed with `error`. */
function finalOutcome(result: AttemptResult, attempts: Attempt[], error?: DeliveryError): DeliveryOutcome {
	const { answer } = result;
	const outcome: DeliveryOutcome = {
		success: !error,
		statusCode: answer?.statusCode ?? null,
		headers: answer?.headers ?? {},
		bodyText: answer?.bodyText ?? '',
		bodyTruncated: answer?.bodyTruncated ?? false,
		attempts,
	};
	if (error) outcome.error = error;
	return outcome;
}

const withReason = (error: DeliveryError, reason?: string): DeliveryError => (reason ? { kind: error.kind, message: `${error.message}; ${reason}` } : error);

/** What deciding on a retry needs besides the failed attempt: the next one must start before `windowEnd`. */
interface RetryContext {
	request: PreparedRequest;
	policy: DeliveryPolicy;
	deps: DeliveryDeps;
	windowEnd: number;
}

/** Retry (its wait and its rate-limit slot are over), or stop, with the reason added to the attempt's error. */
type Decision = { retry: true } | { retry: false; reason?: string };

const stop = (reason?: string): Decision => ({ retry: false, reason });

/** After a failed attempt: waits for the next one, or says why none follows. */
async function decide(failed: FailedAttempt, attempt: number, { request, policy, deps, windowEnd }: RetryContext): Promise<Decision> {
	const { clock, limiter, signal } = deps;
	if (!failed.retryable) return stop();
	if (!request.carriesTransactionalId) return stop('not retried: the request does not carry its transactional id');
	if (attempt > policy.maxRetries) return stop(`gave up after ${attempt} attempts`);
	const delay = failed.waitMs ?? backoffDelay(attempt, deps.random);
	const windowSeconds = Math.round(policy.retryWindowMs / 1000);
	if (clock.now() + delay > windowEnd)
		return stop(`the next attempt (in ${Math.round(delay / 1000)} s) would fall outside the ${windowSeconds} s retry window`);
	if (!(await sleepUnlessStopped(clock, delay, signal))) return stop(STOPPED_RETRY);
	// The wait for a rate-limit slot counts too: an attempt never starts after the window.
	let slot: boolean | typeof STOPPED = true;
	try {
		if (limiter) slot = await unlessStopped(limiter.acquire(windowEnd, signal), signal);
	} catch (limitError) {
		return stop(`not retried: ${(limitError as Error).message}`);
	}
	if (slot === STOPPED || signal?.aborted) return stop(STOPPED_RETRY);
	if (!slot) return stop(`the next rate-limit slot would fall outside the ${windowSeconds} s retry window`);
	return { retry: true };
}

/** The first rate-limit slot, or the outcome of a request that may not be sent. Its wait is not part of the retry window. */
async function acquireFirstSlot({ limiter, signal }: DeliveryDeps): Promise<DeliveryOutcome | undefined> {
	try {
		if (limiter && (await unlessStopped(limiter.acquire(undefined, signal), signal)) === STOPPED) return notSent('canceled', STOPPED_MESSAGE);
	} catch (error) {
		return notSent('rateLimit', (error as Error).message);
	}
	if (signal?.aborted) return notSent('canceled', STOPPED_MESSAGE);
	return undefined;
}

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
	const { clock } = deps;
	const egress = policy.blockPrivateNetworks ? privateNetworkGuard(policy.instanceEgress) : policy.instanceEgress;
	const refused = await acquireFirstSlot(deps);
	if (refused) return refused;
	const retry: RetryContext = { request, policy, deps, windowEnd: clock.now() + policy.retryWindowMs };
	const attempts: Attempt[] = [];
	for (let attempt = 1; ; attempt++) {
		const startedAt = clock.now();
		const result = await sendAttempt(request, signedHeaders(request, transactionalId, policy.signingSecret, startedAt), policy, egress);
		const endedAt = clock.now();
		const verdict = judgeAttempt(result, { timeoutMs: policy.timeoutMs, nowMs: endedAt });
		attempts.push(attemptRecord(attempt, startedAt, endedAt, result, verdict));
		if (verdict.delivered) return finalOutcome(result, attempts);
		const decision = await decide(verdict, attempt, retry);
		if (!decision.retry) return finalOutcome(result, attempts, withReason(verdict.error, decision.reason));
	}
}
