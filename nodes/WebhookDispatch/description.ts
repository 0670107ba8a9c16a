import type { INodeProperties } from 'n8n-workflow';
import { NUMERIC_FIELDS, rangeOptions } from '../../lib/numericFields';
import { onFailureProperty } from './onFailureProperty';

const nameValue = (displayName: string, name: string, valueDescription: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: `Add ${displayName.replace(/s$/, '')}`,
	default: {},
	options: [
		{
			displayName: 'Parameter',
			name: 'parameter',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '', description: valueDescription },
			],
		},
	],
});

export const dispatchProperties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((method) => ({ name: method, value: method })),
		default: 'POST',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: '/runs/${ run.status }',
		description: "Appended to the integration's Root URL; may use ${ … } templates. Each output item shows the full address under request.",
	},
	nameValue('Query Parameters', 'queryParameters', 'A template, e.g. ${ run.status }'),
	nameValue('Headers', 'headers', "A template; added to the integration's headers"),
	{
		displayName: 'Exclude Inherited Headers',
		name: 'excludeInheritedHeaders',
		type: 'string',
		typeOptions: { multipleValues: true },
		default: [],
		placeholder: 'x-team',
		description: "Names of the integration's headers not to send from this node",
	},
	{
		displayName: 'Body Content Type',
		name: 'bodyContentType',
		type: 'options',
		options: [
			{ name: 'JSON', value: 'json', description: 'Every ${ … } output is escaped for JSON; the result must be valid JSON' },
			{ name: 'Text', value: 'text' },
			{ name: 'Form (URL-Encoded)', value: 'form', description: 'Write the body as a JSON object of field names and values' },
			{ name: 'None', value: 'none' },
		],
		default: 'json',
		// A GET carries no body.
		displayOptions: { hide: { method: ['GET'] } },
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 8 },
		default: '{\n  "event": "${ event }",\n  "id": "${ WebhookRequest.TransactionalId }"\n}',
		description: 'A template in the Maestra syntax: ${ path }, @{ if }, @{ for }, functions such as ToUpper()',
		displayOptions: { hide: { bodyContentType: ['none'], method: ['GET'] } },
	},
	{
		displayName: 'Transactional ID',
		name: 'transactionalId',
		type: 'string',
		default: '',
		// The placeholder quotes item field names (run.id), which keep their case.
		// eslint-disable-next-line n8n-nodes-base/node-param-placeholder-miscased-id
		placeholder: '{{ $json.run.id }}-{{ $json.event }}',
		description:
			'The idempotency key of the request, as ${ WebhookRequest.TransactionalId } in templates. Empty: one ID per item that stays the same when n8n retries this execution (node version 1: a new UUID per item). Use an expression to keep it stable across executions.',
	},
	onFailureProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { ...rangeOptions(NUMERIC_FIELDS.concurrency) },
				default: 5,
				description: 'How many items may be in flight at once',
			},
			{
				displayName: 'Full Response',
				name: 'fullResponse',
				type: 'boolean',
				default: true,
				description:
					"Whether a Success item holds the whole result (status, headers, body, attempts, request). Off: only the answer's body. Failure items always hold the whole result.",
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { ...rangeOptions(NUMERIC_FIELDS.maxRetries) },
				default: 3,
				description: 'Retries after the first attempt, for 5xx, 429, timeouts and connection errors, when the request carries its transactional ID',
			},
			{
				displayName: 'Redirects',
				name: 'redirect',
				type: 'fixedCollection',
				placeholder: 'Add Redirect',
				default: { redirect: {} },
				options: [
					{
						displayName: 'Redirect',
						name: 'redirect',
						values: [
							{
								displayName: 'Follow Redirects',
								name: 'followRedirects',
								type: 'boolean',
								default: false,
								description: 'Whether to follow 3xx answers. Each new address is checked like the first; secret headers are not sent to another origin.',
							},
							{
								displayName: 'Max Redirects',
								name: 'maxRedirects',
								type: 'number',
								typeOptions: { ...rangeOptions(NUMERIC_FIELDS.maxRedirects) },
								displayOptions: { show: { followRedirects: [true] } },
								default: 21,
								description: 'Max number of redirects to follow for one attempt',
							},
						],
					},
				],
			},
			{
				displayName: 'Response Format',
				name: 'responseFormat',
				type: 'options',
				options: [
					{ name: 'Auto', value: 'auto', description: 'JSON when the receiver says so, otherwise text' },
					{ name: 'JSON', value: 'json' },
					{ name: 'Text', value: 'text' },
				],
				default: 'auto',
			},
			{
				displayName: 'Retry Window (Seconds)',
				name: 'retryWindowSeconds',
				type: 'number',
				typeOptions: { ...rangeOptions(NUMERIC_FIELDS.retryWindowSeconds) },
				default: 360,
				description: 'No attempt starts later than this after the first one',
			},
		],
	},
];
