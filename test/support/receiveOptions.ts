import { RUN_EVENTS } from '../../lib/currents';
import type { Source } from '../../lib/sources';
import { InProcessDeliveryMemory, receiveDelivery, type ReceiveOptions } from '../../lib/trigger';

/** A trigger's options as the node passes them by default (every event, 300 s tolerance, 600 s window, a fresh memory). */
export function receiveOptions(source: Source, secrets: string[], nowMs: number, extra: Partial<ReceiveOptions> = {}): ReceiveOptions {
	return {
		source,
		events: [...RUN_EVENTS],
		secrets,
		secretHeaderName: 'x-webhook-secret',
		timestampToleranceSeconds: 300,
		deduplicationWindowSeconds: 600,
		includeRawPayload: false,
		memoryScope: 'wf:node:webhook',
		memory: new InProcessDeliveryMemory(),
		nowMs,
		...extra,
	};
}

type Headers = Record<string, string | string[] | undefined>;

/** Receives one delivery (headers and raw body) with the node's default options for this source, secrets and time, plus any extra. */
export function receiverFor(source: Source, secrets: string[], nowMs: number) {
	return (headers: Headers, body: string, extra: Partial<ReceiveOptions> = {}) =>
		receiveDelivery({ headers, rawBody: Buffer.from(body) }, receiveOptions(source, secrets, nowMs, extra));
}
