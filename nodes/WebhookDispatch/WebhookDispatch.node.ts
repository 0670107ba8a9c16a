import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { dispatchProperties } from './description';
import { readIntegration } from '../../lib/dispatch';
import { executeDispatch } from './execute';
import { RETRY_SAFE_VERSION } from './retrySafeVersion';
import { queueModeNotice } from '../shared/queueModeNotice';

export class WebhookDispatch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook Dispatch',
		name: 'webhookDispatch',
		icon: { light: 'file:webhookDispatch.light.svg', dark: 'file:webhookDispatch.dark.svg' },
		group: ['output'],
		// 1.1: the default transactional ID survives retries, and "On Failure" (default: stop the workflow).
		version: [1, RETRY_SAFE_VERSION],
		defaultVersion: RETRY_SAFE_VERSION,
		subtitle: '={{$parameter["method"] + " " + $parameter["path"]}}',
		description: 'Send templated, rate-limited HTTP requests with idempotency-keyed retries',
		defaults: { name: 'Webhook Dispatch' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Failure'],
		credentials: [
			{
				name: 'webhookIntegration',
				required: true,
				testedBy: 'webhookIntegrationTest',
			},
			{
				// n8n's built-in Redis credential (optional): one rate limit shared by all n8n processes.
				// SPEC: n8n's own `redis` credential, so one Redis login serves n8n's Redis node and this one;
				// n8n only hands it over when the user attaches it to this node (README, "Queue mode").
				// eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references
				name: 'redis',
				required: false,
			},
		],
		properties: [
			...queueModeNotice("the integration's rate limit is kept per process: each worker sends at the full rate, so two workers send twice as fast."),
			...dispatchProperties,
		],
	};

	methods = {
		credentialTest: {
			async webhookIntegrationTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				let integration;
				try {
					integration = readIntegration((credential.data ?? {}) as IDataObject);
				} catch (error) {
					return { status: 'Error', message: (error as Error).message };
				}
				return { status: 'OK', message: ['The integration settings are valid', ...integration.notices].join('; ') };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeDispatch.call(this);
	}
}
