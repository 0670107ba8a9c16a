import type { INodeProperties } from 'n8n-workflow';
import { NUMERIC_FIELDS, rangeOptions } from '../../../lib/numericFields';
import { LIMITS, RUN_EVENTS } from '../../../lib/currents';
import { projectLocator, runEventOptions } from '../../shared/descriptions';

const UUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const on = (...operation: string[]) => ({ show: { resource: ['webhook'], operation } });

const headerPairs = (displayName = 'Headers'): INodeProperties => ({
	displayName,
	name: 'headers',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Header',
	default: {},
	description: `Custom headers the platform sends with every delivery, e.g. a shared secret (at most ${LIMITS.headersMax} characters once serialized to JSON)`,
	options: [
		{
			displayName: 'Header',
			name: 'header',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'x-webhook-secret' },
				{ displayName: 'Value', name: 'value', type: 'string', typeOptions: { password: true }, default: '' },
			],
		},
	],
});

const hookEvents: INodeProperties = {
	displayName: 'Events',
	name: 'hookEvents',
	type: 'multiOptions',
	options: runEventOptions,
	default: [...RUN_EVENTS],
	description: 'Run events that trigger a delivery',
};

const url = (required: boolean): INodeProperties => ({
	displayName: 'URL',
	name: 'url',
	type: 'string',
	default: '',
	required,
	placeholder: 'https://n8n.example.com/webhook/…',
	description: `Where the platform POSTs events (http or https, at most ${LIMITS.urlMax} characters)`,
});

const label: INodeProperties = {
	displayName: 'Label',
	name: 'label',
	type: 'string',
	default: '',
	description: `A human-readable name for the webhook (${LIMITS.labelMin}–${LIMITS.labelMax} characters)`,
};

export const webhookOperations: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Webhook', value: 'webhook' }],
		default: 'webhook',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webhook'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a webhook', description: 'Register a new webhook on a project' },
			{ name: 'Delete', value: 'delete', action: 'Delete a webhook', description: 'Remove a webhook' },
			{ name: 'Get', value: 'get', action: 'Get a webhook', description: 'Retrieve one webhook' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many webhooks', description: 'List the webhooks of a project' },
			{
				name: 'Send Test',
				value: 'sendTest',
				action: 'Send a test event to a webhook',
				description: "Send a realistic sample event to the webhook's URL with its headers",
			},
			{ name: 'Update', value: 'update', action: 'Update a webhook', description: 'Change some fields of a webhook' },
		],
		default: 'getAll',
	},
];

export const webhookFields: INodeProperties[] = [
	projectLocator({ required: true, displayOptions: on('create', 'getAll') }),
	projectLocator({ required: false, displayOptions: on('get', 'update', 'delete', 'sendTest') }),
	{
		displayName: 'Webhook',
		name: 'hookId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions: on('get', 'update', 'delete', 'sendTest'),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchWebhooks', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 550e8400-e29b-41d4-a716-446655440000',
				validation: [{ type: 'regex', properties: { regex: UUID_REGEX, errorMessage: 'A webhook ID is a UUID' } }],
			},
		],
	},
	{ ...url(true), displayOptions: on('create') },
	{ ...hookEvents, required: true, displayOptions: on('create') },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: on('create'),
		options: [headerPairs(), label],
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: on('update'),
		options: [
			{ ...hookEvents, default: [] },
			headerPairs(),
			label,
			url(false),
			{
				displayName: 'Remove All Headers',
				name: 'clearHeaders',
				type: 'boolean',
				default: false,
				description: 'Whether to remove every custom header from the webhook',
			},
		],
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: on('getAll'),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { ...rangeOptions(NUMERIC_FIELDS.limit) },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { resource: ['webhook'], operation: ['getAll'], returnAll: [false] } },
	},
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		options: runEventOptions,
		default: 'RUN_FINISH',
		description: 'Which sample event to send',
		displayOptions: on('sendTest'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: on('create', 'get', 'getAll', 'update', 'delete', 'sendTest'),
		options: [
			{
				displayName: 'Reveal Header Values',
				name: 'revealHeaderValues',
				type: 'boolean',
				default: false,
				description: 'Whether to show custom header values in the output instead of masking them (in Send Test, also where the response body repeats them)',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { ...rangeOptions(NUMERIC_FIELDS.sendTestTimeoutSeconds) },
				default: 30,
				description: 'How long to wait for each answer',
			},
		],
	},
];
