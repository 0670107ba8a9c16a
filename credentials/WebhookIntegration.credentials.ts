import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';
import { NUMERIC_FIELDS, rangeOptions } from '../lib/numericFields';

// SPEC.md fixes this credential's public name; it describes a receiving integration, not an
// API of ours, so the "-Api" naming rules meant for API credentials do not fit it.
/* eslint-disable n8n-nodes-base/cred-class-name-unsuffixed, n8n-nodes-base/cred-class-field-name-unsuffixed, n8n-nodes-base/cred-class-field-display-name-missing-api */
export class WebhookIntegration implements ICredentialType {
	name = 'webhookIntegration';

	displayName = 'Webhook Integration';
	/* eslint-enable n8n-nodes-base/cred-class-name-unsuffixed, n8n-nodes-base/cred-class-field-name-unsuffixed, n8n-nodes-base/cred-class-field-display-name-missing-api */

	icon: Icon = { light: 'file:testRun.light.svg', dark: 'file:testRun.dark.svg' };

	documentationUrl = 'https://www.standardwebhooks.com/';

	properties: INodeProperties[] = [
		{
			displayName: 'Root URL',
			name: 'rootUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://hooks.example.com/api',
			description: 'Every Webhook Dispatch path is appended to this URL',
		},
		{
			displayName: 'Headers',
			name: 'headers',
			type: 'json',
			default: '{}',
			description: 'Headers sent with every request, as a JSON object of name → value',
		},
		{
			displayName: 'Secret Headers',
			name: 'secretHeaders',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '{"Authorization": "Bearer …"}',
			description:
				'Headers whose values are secrets, as a JSON object of name → value. Their values never appear in outputs, errors or logs. Each value needs at least 8 characters (after a scheme word such as "Bearer").',
		},
		{
			displayName: 'Rate Limit (Requests per Second)',
			name: 'rateLimitPerSecond',
			type: 'number',
			typeOptions: { ...rangeOptions(NUMERIC_FIELDS.rateLimitPerSecond) },
			default: 0,
			description: 'Shared by every Webhook Dispatch node that uses this credential; 0 means no limit',
		},
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_…',
			description:
				'When set, requests carry Standard Webhooks signature headers (webhook-id is the transactional ID). A whsec_ secret whose base64 key holds at least 16 bytes.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { ...rangeOptions(NUMERIC_FIELDS.integrationTimeoutSeconds), numberPrecision: 3 },
			default: 30,
			description: 'How long to wait for each answer; decimals are allowed (e.g. 2.5)',
		},
		{
			displayName: 'Block Private Networks',
			name: 'blockPrivateNetworks',
			type: 'boolean',
			default: false,
			description: 'Whether to refuse loopback, private, link-local and cloud metadata addresses (checked after DNS resolution)',
		},
	];
}
