import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { secretCredentialProblem } from '../../lib/verify';
import { searchProjects } from '../shared/listSearch';
import { PLATFORM_CREDENTIAL } from '../shared/platform';
import { queueModeNotice } from '../shared/queueModeNotice';
import { triggerPanel, triggerProperties, triggerSubtitle } from './description';
import { triggerLifecycle } from './lifecycle';
import { receiveWebhook } from './receive';

export class TestRunTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Run Trigger',
		name: 'testRunTrigger',
		icon: { light: 'file:testRunTrigger.light.svg', dark: 'file:testRunTrigger.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1. It exists because n8n evaluates an expression in a fresh sandbox
		// on every request to a version-1 webhook node (for the Webhook node's old
		// binaryData option); from 1.1 on it does not.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: triggerSubtitle,
		description: 'Starts the workflow when a test platform reports a run event, after verifying it is genuine',
		defaults: { name: 'Test Run Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: PLATFORM_CREDENTIAL,
				required: true,
				displayOptions: { show: { source: ['currents'], registration: ['automatic'] } },
			},
			{
				// SPEC fixes this credential's name (a shared secret, not an API key).
				// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
				name: 'testRunWebhookSecret',
				required: true,
				testedBy: 'testRunWebhookSecretTest',
				displayOptions: { hide: { registration: ['automatic'] } },
			},
			{
				// n8n's built-in Redis credential (optional): deduplication shared by all n8n processes.
				// SPEC: n8n's own `redis` credential, so one Redis login serves n8n's Redis node and this one;
				// n8n only hands it over when the user attaches it to this node (README, "Queue mode").
				// eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references
				name: 'redis',
				required: false,
			},
		],
		triggerPanel,
		// responseData '': n8n answers with the node's webhookResponse (left out, n8n would send
		// its default, the text "firstEntryJson").
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'test-run' }],
		properties: [
			...queueModeNotice(
				'deduplication is kept per process: the same delivery reaching two processes (a retry landing on another webhook processor) would run twice.',
			),
			...triggerProperties,
		],
	};

	methods = {
		listSearch: { searchProjects },
		credentialTest: {
			async testRunWebhookSecretTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const problem = secretCredentialProblem(credential.data ?? {});
				return problem === undefined ? { status: 'OK', message: 'The secret is usable' } : { status: 'Error', message: problem };
			},
		},
	};

	webhookMethods = { default: triggerLifecycle };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveWebhook.call(this);
	}
}
