import type { RunEvent } from '../currents/contract';
import { header, type Headers } from '../http/headers';
import type { RunEventItem } from '../normalize';
import { parsePayload, sourceDefinition, type Source, type SourceDefinition, type SourceParameters } from '../sources';
import { sha256Hex } from '../verify/crypto';
import { checkFreshness, refuse, type Refusal, type Verification } from '../verify/verification';
import type { DeliveryMemory } from './deduplication';

export interface ReceiveOptions {
	source: Source;
	events: readonly RunEvent[];
	secrets: readonly string[];
	/** Currents: the custom header carrying the secret. */
	secretHeaderName: string;
	/** The node's parameters of a configurable source (signedWebhook). */
	sourceParameters?: SourceParameters;
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
	const definition = definitionFor(options);
	if ('ok' in definition) return refused(definition, options);
	const verification = definition.verify(
		{ headers: request.headers, rawBody: request.rawBody, secrets: options.secrets, toleranceSeconds: options.timestampToleranceSeconds, nowMs },
		options,
	);
	if (!verification.ok) return refused(verification, options);
	const screened = definition.screen?.(request.headers);
	if (screened) return 'ignored' in screened ? ignored(screened.ignored) : refused(screened, options);

	let payload: unknown;
	try {
		payload = JSON.parse(request.rawBody.toString('utf8'));
	} catch (error) {
		return { status: 400, body: { error: `Invalid JSON: ${(error as Error).message}` } };
	}
	const parsed = parsePayload(definition, payload);
	if (!parsed.ok) return { status: 400, body: { error: `Payload does not match the ${options.source} schema: ${parsed.reason}` } };
	const fresh = checkBodyTimestamp(definition, parsed.value, options, nowMs);
	if (!fresh.ok) return refused(fresh, options);

	const normalized = definition.normalize(parsed.value);
	if ('ignored' in normalized) return ignored(normalized.ignored);
	const { event, run } = normalized;
	if (!options.events.includes(event)) return ignored(`event ${event} is not selected in this trigger`);

	const keys = deliveryKeys(definition, request, parsed.value, verification);
	if ('ok' in keys) return refused(keys, options);
	let first: boolean;
	try {
		first = await seenForTheFirstTime(keys.remember, options, nowMs);
	} catch (error) {
		// Unknown whether it is a repeat: neither start it (it could run twice) nor drop it.
		// The sender learns only that it should retry; where Redis is and why it failed is for n8n's log.
		return { status: 503, body: { error: 'Deduplication is unavailable, the delivery was not accepted; retry later' }, cause: (error as Error).message };
	}
	if (!first) return { status: 200, body: { received: true, duplicate: true } };

	const item: RunEventItem = {
		event,
		source: options.source,
		deliveryId: keys.deliveryId,
		receivedAt: new Date(nowMs).toISOString(),
		run,
		...(options.includeRawPayload ? { raw: payload } : {}),
	};
	return { status: 200, body: { received: true }, item };
}

/** Whether none of the keys was seen before; each is remembered as it is checked, and the first repeat ends the check. */
async function seenForTheFirstTime(keys: readonly string[], options: ReceiveOptions, nowMs: number): Promise<boolean> {
	for (const key of keys) {
		if (!(await options.memory.firstSeen(`${options.memoryScope}:${key}`, options.deduplicationWindowSeconds * 1000, nowMs))) return false;
	}
	return true;
}

/** The source's definition for this trigger: a configurable source's is built from the node's parameters. */
function definitionFor(options: ReceiveOptions): SourceDefinition<Source> | Refusal {
	const definition = sourceDefinition(options.source);
	return definition.configure ? definition.configure(options.sourceParameters ?? {}) : definition;
}

const ignored = (reason: string): ReceiveOutcome => ({ status: 200, body: { received: true, ignored: reason } });

/** A source that signs a send time in its body: refused when too old, too far ahead, or unreadable. */
function checkBodyTimestamp(definition: SourceDefinition<Source>, payload: unknown, options: ReceiveOptions, nowMs: number): Verification {
	const stamp = definition.signedBodyTimestamp;
	if (!stamp) return { ok: true };
	const timestampMs = stamp.epochMs(payload);
	if (timestampMs === null) return refuse(`body field ${stamp.field} is not ${stamp.format}`);
	return checkFreshness(timestampMs, { toleranceSeconds: options.timestampToleranceSeconds, nowMs }, `body field ${stamp.field}`);
}

/** The longest delivery id taken from a header or body field (a key in the deduplication memory). */
const MAX_DELIVERY_ID_LENGTH = 256;

/**
 * The item's delivery id and the keys deduplication remembers. An id the proof covers (a
 * verifier's, a body field) is enough; an id from an unsigned header could be changed by
 * whoever replays a captured delivery, so the body's hash is remembered with it.
 */
function deliveryKeys(
	definition: SourceDefinition<Source>,
	request: ReceiveRequest,
	payload: unknown,
	verification: Verification & { ok: true },
): { deliveryId: string; remember: string[] } | Refusal {
	if (verification.deliveryId !== undefined) return { deliveryId: verification.deliveryId, remember: [verification.deliveryId] };
	const bodyHash = `${definition.value}:${sha256Hex(request.rawBody).slice(0, 32)}`;
	const rule = definition.deliveryId;
	if (!rule) return { deliveryId: bodyHash, remember: [bodyHash] };
	const { where, raw } = 'header' in rule ? idFromHeader(rule, request.headers) : { where: `body field ${rule.bodyField}`, raw: rule.read(payload) };
	const id = String(raw ?? '').trim();
	if (id === '') return refuse(`${where} is missing or empty`, 400);
	if (id.length > MAX_DELIVERY_ID_LENGTH) return refuse(`${where} is longer than ${MAX_DELIVERY_ID_LENGTH} characters`, 400);
	const deliveryId = `${definition.value}:${id}`;
	return { deliveryId, remember: 'header' in rule && !rule.signed ? [deliveryId, bodyHash] : [deliveryId] };
}

/** A delivery id from the rule's header, or from its fallback header when that one is absent. */
function idFromHeader(rule: { header: string; fallbackHeader?: string }, headers: Headers): { where: string; raw: string | undefined } {
	const own = header(headers, rule.header);
	if (own !== undefined || rule.fallbackHeader === undefined) return { where: `header ${rule.header}`, raw: own };
	return { where: `header ${rule.fallbackHeader} (${rule.header} is absent)`, raw: header(headers, rule.fallbackHeader) };
}
