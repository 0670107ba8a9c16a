import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/**
 * The item a node emits for a failed input item under "On Error: Continue". n8n-core's
 * WorkflowExecute moves an item to the error output ("Continue (using error output)") only
 * when its JSON holds a truthy `error` and nothing else but `message` (n8n 1.x takes exactly
 * these two; 2.x also `details`), so the details travel inside `error`, as n8n's own nodes
 * do; the paired item lets the engine merge the input item's JSON in.
 */
export function errorItem(itemIndex: number, message: string, error: IDataObject): INodeExecutionData {
	return { json: { message, error }, pairedItem: { item: itemIndex } };
}
