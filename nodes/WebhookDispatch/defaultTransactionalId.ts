import { randomUUID } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { stableTransactionalId } from '../../lib/dispatch';
import { isRetrySafe } from './retrySafeVersion';

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
