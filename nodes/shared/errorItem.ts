import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/**
 * The item a node emits for a failed input item under "On Error: Continue". n8n-core's
 * WorkflowExecute moves an item to the error output ("Continue (using error output)") only
 * when its JSON holds `error` and nothing but `error`, `message` and `details`, so anything
 * more goes under `details`; the paired item lets the engine merge the input item's JSON in.
 */
export function errorItem(itemIndex: number, error: string, details?: string | IDataObject | null): INodeExecutionData {
	return { json: details ? { error, details } : { error }, pairedItem: { item: itemIndex } };
}
