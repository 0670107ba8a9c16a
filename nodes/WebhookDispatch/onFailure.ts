import { randomUUID } from 'node:crypto';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { RetryMemory, stableTransactionalId, successJson, type DispatchResult } from '../../lib/dispatch';
import { errorItem } from '../shared/errorItem';

/** From 1.1: the default transactional id survives retries, and failed deliveries stop the workflow. */
export const RETRY_SAFE_VERSION = 1.1;

type OnFailure = 'routeToFailureOutput' | 'stopWorkflow';

export const onFailureProperty: INodeProperties = {
	displayName: 'On Failure',
	name: 'onFailure',
	type: 'options',
	options: [
		{
			name: 'Route to Failure Output',
			value: 'routeToFailureOutput',
			description: 'Failed items leave by the Failure output and the workflow goes on',
		},
		{
			name: 'Stop the Workflow',
			value: 'stopWorkflow',
			description: "When any item fails, the node fails: the execution shows an error, and the node's Retry On Fail and the workflow's error workflow apply",
		},
	],
	default: 'stopWorkflow',
	displayOptions: { show: { '@version': [{ _cnd: { gte: RETRY_SAFE_VERSION } }] } },
};

const isRetrySafe = (fn: IExecuteFunctions) => fn.getNode().typeVersion >= RETRY_SAFE_VERSION;

/** Where n8n keeps node context across a retry of the execution (it is part of the execution's data). */
const ANCHOR_KEY = 'transactionalIdAnchor';

/**
 * The transactional id of an item whose node leaves it empty. Version 1: a new UUID per item.
 * From 1.1: derived from an anchor kept in the node's context, which n8n saves with the
 * execution and carries into a retry of it, so a retry re-sends each item under the id it had;
 * a new execution starts with an empty context and draws a new anchor.
 */
export function defaultTransactionalId(fn: IExecuteFunctions): (itemIndex: number, item: INodeExecutionData) => string {
	if (!isRetrySafe(fn)) return () => randomUUID();
	const context = fn.getContext('node');
	context[ANCHOR_KEY] ??= randomUUID();
	const anchor = context[ANCHOR_KEY] as string;
	const workflowId = fn.getWorkflow().id ?? '';
	const nodeId = fn.getNode().id;
	const runIndex = fn.getWorkflowDataProxy(0).$runIndex as number;
	return (itemIndex, item) => stableTransactionalId(anchor, { workflowId, nodeId, runIndex, itemIndex, content: item.json });
}

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

/**
 * The node's outputs, Success and Failure, or the error that stops the workflow. With
 * "Stop the Workflow" and the node set to continue on error, failed items go where n8n's
 * On Error setting says: the Failure output (regular output) or the error output.
 */
export function settle(fn: IExecuteFunctions, results: DispatchResult[]): INodeExecutionData[][] {
	const key = runKey(fn);
	const failed = results.flatMap((result, itemIndex) => (result.success ? [] : [{ result, itemIndex }]));
	const onFailure: OnFailure = isRetrySafe(fn) ? (fn.getNodeParameter('onFailure', 0, 'stopWorkflow') as OnFailure) : 'routeToFailureOutput';
	const stopping = onFailure === 'stopWorkflow' && failed.length > 0;
	const error = stopping ? failureError(fn, failed, results.length) : undefined;

	if (error && !fn.continueOnFail()) {
		if (key !== undefined && fn.getNode().retryOnFail) {
			const kept = results.flatMap((result, itemIndex) => (result.success ? [[itemKey(itemIndex, result.transactionalId), result] as const] : []));
			delivered.keep(key, new Map(kept));
		}
		throw error;
	}
	if (key !== undefined) delivered.forget(key);

	const toErrorOutput = stopping && fn.getNode().onError === 'continueErrorOutput';
	const fullResponse = fn.getNodeParameter('options.fullResponse', 0, true) as boolean;
	const success: INodeExecutionData[] = [];
	const failure: INodeExecutionData[] = [];
	results.forEach((result, itemIndex) => {
		if (result.success) success.push({ json: successJson(result, fullResponse) as IDataObject, pairedItem: { item: itemIndex } });
		else if (toErrorOutput) failure.push(errorItem(itemIndex, result.error?.message ?? 'Not delivered', result as unknown as IDataObject));
		else failure.push({ json: result as unknown as IDataObject, pairedItem: { item: itemIndex } });
	});
	return [success, failure];
}

const LISTED_IN_MESSAGE = 3;

function describe(result: DispatchResult, itemIndex: number): string {
	const status = result.statusCode !== null ? `HTTP ${result.statusCode}` : (result.error?.kind ?? 'failed');
	return `item ${itemIndex}: ${status}, transactional ID ${result.transactionalId}`;
}

/** Names every failed item, its status and transactional id; the messages are already free of secrets. */
function failureError(fn: IExecuteFunctions, failed: Array<{ result: DispatchResult; itemIndex: number }>, total: number): NodeOperationError {
	const listed = failed.slice(0, LISTED_IN_MESSAGE).map(({ result, itemIndex }) => describe(result, itemIndex));
	const more = failed.length > LISTED_IN_MESSAGE ? ` and ${failed.length - LISTED_IN_MESSAGE} more` : '';
	const lines = failed.map(({ result, itemIndex }) => `${describe(result, itemIndex)} (${result.error?.message ?? 'no error message'})`);
	return new NodeOperationError(fn.getNode(), `${failed.length} of ${total} deliveries failed: ${listed.join('; ')}${more}`, {
		itemIndex: failed[0].itemIndex,
		description: [
			...lines,
			'',
			"Retry On Fail does not send delivered items again; retrying the execution re-sends every item under the same transactional ID, for receivers that deduplicate by it.",
			'To let failed items leave by the Failure output instead, set On Failure to "Route to Failure Output".',
		].join('\n'),
	});
}
