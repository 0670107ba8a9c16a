import type { RunEvent } from '../currents/contract';
import { normalizePayload, type RunEventItem, type Source } from '../normalize';
import { sha256Hex } from '../verify/crypto';
import {
	checkFreshness,
	refuse,
	verifyBearer,
	verifyHexSignature,
	verifySharedHeader,
	verifyStandardWebhook,
	type Headers,
	type Refusal,
	type Verification,
	type VerificationInput,
} from '../verify/verifiers';
import type { DeliveryMemory } from './deduplication';

export const AUTOSANA_SIGNATURE_HEADER = 'X-Autosana-Signature-256';

export interface ReceiveOptions {
	source: Source;
	events: readonly RunEvent[];
	secrets: readonly string[];
	/** Currents: the custom header carrying the secret. */
	secretHeaderName: string;
	timestampToleranceSeconds: number;
	deduplicationWindowSeconds: number;
	includeRawPayload: boolean;
	/**
	 * Scopes deduplication to one trigger in one webhook mode, so a delivery to the test URL
	 * never makes the same delivery to the production URL a duplicate.
	 */
	memoryScope: string;
	/** Added to the 401 answer when a delivery carries a secret that does not match. */
	secretMismatchHint?: string;
	memory: DeliveryMemory;
	nowMs?: number;
}

export interface ReceiveRequest {
	headers: Headers;
	rawBody: Buffer;
}

/** What to answer, and the item to start an execution with (only when accepted). */
export interface ReceiveOutcome {
	/** 503: the shared deduplication memory (Redis) could not be asked; nothing started, the sender retries. */
	status: 200 | 400 | 401 | 503;
	body: Record<string, unknown>;
	item?: RunEventItem;
	/** With 503: why, for n8n's log (never the Redis password). */
	cause?: string;
}

function verify(request: ReceiveRequest, options: ReceiveOptions, nowMs: number): Verification {
	const input: VerificationInput = {
		headers: request.headers,
		rawBody: request.rawBody,
		secrets: options.secrets,
		toleranceSeconds: options.timestampToleranceSeconds,
		nowMs,
	};
	switch (options.source) {
		case 'currents':
			return verifySharedHeader(input, options.secretHeaderName);
		case 'maestro':
			return verifyBearer(input);
		case 'autosana':
			return verifyHexSignature(input, AUTOSANA_SIGNATURE_HEADER);
		case 'standardWebhooks':
			return verifyStandardWebhook(input);
	}
}

function refused(refusal: Refusal, options: ReceiveOptions): ReceiveOutcome {
	if (refusal.status === 400) return { status: 400, body: { error: refusal.reason } };
	const hint = refusal.secretMismatch && options.secretMismatchHint ? `. ${options.secretMismatchHint}` : '';
	return { status: 401, body: { error: `Unauthorized: ${refusal.reason}${hint}` } };
}

/**
 * Verifies, parses, normalizes, filters and deduplicates one delivery. Fails closed: anything
 * not proven genuine is refused before the body is even parsed.
 */
export async function receiveDelivery(request: ReceiveRequest, options: ReceiveOptions): Promise<ReceiveOutcome> {
	const nowMs = options.nowMs ?? Date.now();
	const verification = verify(request, options, nowMs);
	if (!verification.ok) return refused(verification, options);

	let payload: unknown;
	try {
		payload = JSON.parse(request.rawBody.toString('utf8'));
	} catch (error) {
		return { status: 400, body: { error: `Invalid JSON: ${(error as Error).message}` } };
	}
	const normalized = normalizePayload(options.source, payload);
	if (!normalized.ok) return { status: 400, body: { error: `Payload does not match the ${options.source} schema: ${normalized.reason}` } };

	const { event, run } = normalized.value;
	if (options.source === 'autosana') {
		// Autosana signs its body, which carries the send time: a replayed old batch is refused,
		// and so is one whose time cannot be read (it could not be checked).
		const fresh = run.endedAt
			? checkFreshness(Date.parse(run.endedAt), { toleranceSeconds: options.timestampToleranceSeconds, nowMs }, 'body field timestamp')
			: refuse('body field timestamp is not an ISO 8601 date and time');
		if (!fresh.ok) return refused(fresh, options);
	}
	if (!options.events.includes(event)) {
		return { status: 200, body: { received: true, ignored: `event ${event} is not selected in this trigger` } };
	}

	const deliveryId = verification.deliveryId ?? `${options.source}:${sha256Hex(request.rawBody).slice(0, 32)}`;
	let first: boolean;
	try {
		first = await options.memory.firstSeen(`${options.memoryScope}:${deliveryId}`, options.deduplicationWindowSeconds * 1000, nowMs);
	} catch (error) {
		// Unknown whether it is a repeat: neither start it (it could run twice) nor drop it.
		// The sender learns only that it should retry; where Redis is and why it failed is for n8n's log.
		return { status: 503, body: { error: 'Deduplication is unavailable, the delivery was not accepted; retry later' }, cause: (error as Error).message };
	}
	if (!first) return { status: 200, body: { received: true, duplicate: true } };

	const item: RunEventItem = {
		event,
		source: options.source,
		deliveryId,
		receivedAt: new Date(nowMs).toISOString(),
		run,
		...(options.includeRawPayload ? { raw: payload } : {}),
	};
	return { status: 200, body: { received: true }, item };
}
