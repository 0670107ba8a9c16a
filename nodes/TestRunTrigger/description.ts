import type { INodeProperties } from 'n8n-workflow';
import { RUN_EVENTS } from '../../lib/currents';
import { projectLocator, runEventOptions } from '../TestRunWebhooks/descriptions/WebhookDescription';

export const DEFAULT_SECRET_HEADER = 'x-webhook-secret';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Currents', value: 'currents', description: 'Currents test dashboard: a secret header and x-timestamp' },
			{ name: 'Maestro Cloud', value: 'maestro', description: 'Maestro Cloud upload results: a bearer token' },
			{ name: 'Autosana', value: 'autosana', description: 'Autosana batch.completed: X-Autosana-Signature-256' },
			{
				name: 'Standard Webhooks',
				value: 'standardWebhooks',
				description: 'Any Standard Webhooks sender, including Webhook Dispatch: webhook-signature',
			},
		],
		default: 'currents',
	},
	{
		displayName: 'Registration',
		name: 'registration',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { source: ['currents'] } },
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description: 'The node registers, updates and removes its webhook through the Currents API',
			},
			{ name: 'Manual', value: 'manual', description: 'You add the webhook in the Currents dashboard yourself' },
		],
		default: 'automatic',
	},
	{ ...projectLocator(true, []), displayOptions: { show: { source: ['currents'], registration: ['automatic'] } } },
	{
		displayName: 'Secret Header Name',
		name: 'secretHeaderName',
		// A header name, not a secret value: it stays visible (SPEC names the parameter).
		// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing
		type: 'string',
		default: DEFAULT_SECRET_HEADER,
		displayOptions: { show: { source: ['currents'] } },
		description: 'The custom header that carries the secret on every delivery',
	},
	{
		displayName:
			"In the Currents dashboard (Project Settings → Integrations → Webhooks), add a webhook with this node's Production URL and a custom header named as in Secret Header Name, whose value is the secret of the Test Run Webhook Secret credential",
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['currents'], registration: ['manual'] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: runEventOptions,
		default: [...RUN_EVENTS],
		description: 'Run events that start the workflow; others are acknowledged and ignored',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Deduplication Window (Seconds)',
				name: 'deduplicationWindowSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 600,
				description: 'A delivery seen again within this window is acknowledged and not run twice',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRawPayload',
				type: 'boolean',
				default: true,
				description: 'Whether to add the payload as received under "raw"',
			},
			{
				displayName: 'Timestamp Tolerance (Seconds)',
				name: 'timestampToleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description: 'How far a delivery timestamp may lie in the past or future',
			},
		],
	},
];
