import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { successJson, type DispatchResult } from '../../lib/dispatch';
import { errorItem } from '../shared/errorItem';
import { forgetDelivered, keepDelivered } from './deliveredItems';
import { onFailureSetting } from './onFailureProperty';

/**
 * The node's outputs, Success and Failure, or the error that stops the workflow. With
 * "Stop the Workflow" and the node set to continue on error, failed items go where n8n's
 * On Error setting says: the Failure output (regular output) or the error output.
 */
export function settle(fn: IExecuteFunctions, results: DispatchResult[]): INodeExecutionData[][] {
	const failed = results.flatMap((result, itemIndex) => (result.success ? [] : [{ result, itemIndex }]));
	const stopping = onFailureSetting(fn) === 'stopWorkflow' && failed.length > 0;
	const error = stopping ? failureError(fn, failed, results.length) : undefined;

	if (error && !fn.continueOnFail()) {
		keepDelivered(fn, results);
		throw error;
	}
	forgetDelivered(fn);

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
			'Retry On Fail does not send delivered items again; retrying the execution re-sends every item under the same transactional ID, for receivers that deduplicate by it.',
			'To let failed items leave by the Failure output instead, set On Failure to "Route to Failure Output".',
		].join('\n'),
	});
}
