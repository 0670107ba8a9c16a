import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { isRetrySafe, RETRY_SAFE_VERSION } from './retrySafeVersion';

export type OnFailure = 'routeToFailureOutput' | 'stopWorkflow';

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

/** The node's On Failure setting; version 1 has none and routes failed items to the Failure output. */
export function onFailureSetting(fn: IExecuteFunctions): OnFailure {
	return isRetrySafe(fn) ? (fn.getNodeParameter('onFailure', 0, 'stopWorkflow') as OnFailure) : 'routeToFailureOutput';
}
