import { RUN_EVENTS } from '../../lib/currents';
import type { Source } from '../../lib/sources';
import { InProcessDeliveryMemory, type ReceiveOptions } from '../../lib/trigger';

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
