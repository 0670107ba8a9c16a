import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { searchProjects, searchWebhooks } from '../shared/listSearch';
import { PLATFORM_CREDENTIAL } from '../shared/platform';
import { router } from './actions/router';
import { webhookFields, webhookOperations } from './descriptions/WebhookDescription';

export class TestRunWebhooks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Run Webhooks',
		name: 'testRunWebhooks',
		icon: { light: 'file:testRunWebhooks.light.svg', dark: 'file:testRunWebhooks.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Manage a test platform's webhooks (Currents) through its REST API",
		defaults: { name: 'Test Run Webhooks' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: PLATFORM_CREDENTIAL, required: true }],
		properties: [...webhookOperations, ...webhookFields],
	};

	methods = { listSearch: { searchProjects, searchWebhooks } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
