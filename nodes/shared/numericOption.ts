import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';
import { readNumericField, type NumericField } from '../../lib/numericFields';

/** An execution hint in the output pane: how a node says a value was brought into range. */
export function addNotices(fn: IExecuteFunctions, notices: readonly string[]): void {
	if (notices.length > 0) fn.addExecutionHints(...notices.map((message) => ({ message, location: 'outputPane' as const })));
}

/**
 * A numeric option, read by the package's one policy (lib/numericFields): a value that is no
 * number fails the node with an error naming the field; one brought into range is said in a hint.
 */
export function numericOption(fn: IExecuteFunctions, field: NumericField, raw: unknown, itemIndex?: number): number {
	let read;
	try {
		read = readNumericField(field, raw);
	} catch (error) {
		throw new NodeOperationError(fn.getNode(), (error as Error).message, { itemIndex });
	}
	if (read.notice) addNotices(fn, [read.notice]);
	return read.value;
}
