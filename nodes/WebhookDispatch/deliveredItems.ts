import type { IExecuteFunctions } from 'n8n-workflow';
import { RetryMemory, type DispatchResult } from '../../lib/dispatch';

/** Deliveries that succeeded in an earlier try of this node run, by item and transactional id. */
const delivered = new RetryMemory<DispatchResult>();
const itemKey = (itemIndex: number, transactionalId: string) => `${itemIndex}\u0000${transactionalId}`;

function runKey(fn: IExecuteFunctions): string | undefined {
	const executionId = fn.getExecutionId();
	if (!executionId) return undefined;
	return [executionId, fn.getNode().id, fn.getWorkflowDataProxy(0).$runIndex].join('\u0000');
}

/** The result of this item from an earlier try of the same node run, when it was delivered then. */
export function deliveredEarlier(fn: IExecuteFunctions): (itemIndex: number, transactionalId: string) => DispatchResult | undefined {
	const key = runKey(fn);
	const earlier = key === undefined ? undefined : delivered.recall(key);
	return (itemIndex, transactionalId) => earlier?.get(itemKey(itemIndex, transactionalId));
}

/** Before the node fails: with Retry On Fail, its next try does not send the delivered items again. */
export function keepDelivered(fn: IExecuteFunctions, results: readonly DispatchResult[]): void {
	const key = runKey(fn);
	if (key === undefined || !fn.getNode().retryOnFail) return;
	const kept = results.flatMap((result, itemIndex) => (result.success ? [[itemKey(itemIndex, result.transactionalId), result] as const] : []));
	delivered.keep(key, new Map(kept));
}

/** The node run ended with outputs: no try of it follows. */
export function forgetDelivered(fn: IExecuteFunctions): void {
	const key = runKey(fn);
	if (key !== undefined) delivered.forget(key);
}
