import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { NUMERIC_FIELDS } from '../../../lib/numericFields';
import { errorItem } from '../../shared/errorItem';
import { numericOption } from '../../shared/numericOption';
import { platformClient, toNodeError } from '../../shared/platform';
import { webhookOperationHandlers } from './webhook';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = webhookOperationHandlers[operation];
	if (!handler) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const options = this.getNodeParameter('options', itemIndex, {}) as { revealHeaderValues?: boolean; timeoutSeconds?: unknown };
			const timeoutMs = Math.round(numericOption(this, NUMERIC_FIELDS.sendTestTimeoutSeconds, options.timeoutSeconds, itemIndex) * 1000);
			const results = await handler({
				fn: this,
				client: await platformClient(this, timeoutMs),
				itemIndex,
				revealHeaderValues: options.revealHeaderValues ?? false,
				timeoutMs,
			});
			returnData.push(...results.map((json) => ({ json, pairedItem: { item: itemIndex } })));
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex, subjectOf(this, operation, itemIndex));
			if (this.continueOnFail()) {
				const description = (nodeError as NodeOperationError).description ?? null;
				returnData.push(errorItem(itemIndex, nodeError.message, { message: nodeError.message, description }));
				continue;
			}
			throw nodeError;
		}
	}
	return [returnData];
}

/** Names the thing a 404 is about, so the error says which ID was not found. */
function subjectOf(fn: IExecuteFunctions, operation: string, itemIndex: number): string {
	const parameter = ['create', 'getAll'].includes(operation) ? 'projectId' : 'hookId';
	const value = fn.getNodeParameter(parameter, itemIndex, '', { extractValue: true }) as string;
	return parameter === 'projectId' ? `Project "${value}"` : `Webhook "${value}"`;
}
