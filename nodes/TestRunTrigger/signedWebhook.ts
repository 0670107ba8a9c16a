import type { INodeProperties, IWebhookFunctions } from 'n8n-workflow';
import { SIGNED_WEBHOOK_PARAMETERS as NAMES } from '../../lib/sources/signedWebhook';
import type { SourceParameters } from '../../lib/sources';

const show = (extra: Record<string, string[]> = {}) => ({ show: { source: ['signedWebhook'], ...extra } });

/** A dot path into the body, read the same way for every field. */
const PATH_HINT = 'A dot path into the JSON body (e.g. data.run.id; array items by index: jobs.0.name)';

const eventValues = (
	name: 'runStartValues' | 'runFinishValues' | 'runTimeoutValues' | 'runCanceledValues',
	event: string,
	placeholder: string,
): INodeProperties => ({
	displayName: NAMES[name],
	name,
	type: 'string',
	default: '',
	placeholder,
	displayOptions: show(),
	description: `Values of the Event Field that mean ${event}, comma-separated, any case. A value listed for no event is acknowledged and ignored.`,
});

const runField = (name: string, displayName: string, what: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description: `${PATH_HINT}: ${what}`,
});

/** The Signed Webhook source's settings, shown only for it (public names: saved workflows carry them). */
export const signedWebhookProperties: INodeProperties[] = [
	{
		displayName: NAMES.signatureHeader,
		name: 'signatureHeader',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'X-Signature-256',
		displayOptions: show(),
		description: 'The header carrying the signature. Several signatures separated by spaces or commas are accepted; any one may match.',
	},
	{
		displayName: NAMES.signatureAlgorithm,
		name: 'signatureAlgorithm',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'HMAC-SHA256', value: 'sha256' },
			{ name: 'HMAC-SHA512', value: 'sha512' },
			{ name: 'HMAC-SHA1 (Weaker)', value: 'sha1', description: 'Only for senders that offer nothing else' },
		],
		default: 'sha256',
		displayOptions: show(),
	},
	{
		displayName: 'SHA-1 is the weaker choice: collisions have been found for it. Use SHA-256 or SHA-512 wherever the sender offers them.',
		name: 'sha1Notice',
		type: 'notice',
		default: '',
		displayOptions: show({ signatureAlgorithm: ['sha1'] }),
	},
	{
		displayName: NAMES.signatureEncoding,
		name: 'signatureEncoding',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Hex', value: 'hex', description: 'Either case' },
			{ name: 'Base64', value: 'base64', description: 'Standard alphabet, with padding' },
		],
		default: 'hex',
		displayOptions: show(),
	},
	{
		displayName: NAMES.signaturePrefix,
		name: 'signaturePrefix',
		type: 'string',
		default: '',
		placeholder: 'sha256=',
		displayOptions: show(),
		description: 'Text the sender writes before each signature (any case), e.g. sha256= or v1=. Leave empty when there is none.',
	},
	{
		displayName: NAMES.signedContent,
		name: 'signedContent',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Body', value: '{body}', description: 'The raw body alone' },
			{ name: 'Timestamp.Body', value: '{timestamp}.{body}', description: 'The Timestamp Header value, a dot, the raw body' },
			{ name: 'ID.Timestamp.Body', value: '{id}.{timestamp}.{body}', description: 'The Delivery ID Header value, a dot, the timestamp, a dot, the raw body' },
		],
		default: '{body}',
		displayOptions: show(),
		description: 'What the sender signs',
	},
	{
		displayName: NAMES.timestampHeader,
		name: 'timestampHeader',
		type: 'string',
		default: '',
		placeholder: 'X-Signature-Timestamp',
		displayOptions: show(),
		description:
			'The header with the send time, epoch seconds or milliseconds (read as seconds below 10^11). When set it must lie within the Timestamp Tolerance; required when the signed content holds the timestamp. Without it a replay is refused only by the delivery ID memory.',
	},
	{
		displayName: NAMES.deliveryIdHeader,
		name: 'deliveryIdHeader',
		type: 'string',
		default: '',
		placeholder: 'X-Delivery-ID',
		displayOptions: show(),
		description:
			'The header with an ID the sender keeps across retries; deliveries seen again are ignored. Required when the signed content holds the ID. Left empty, a hash of the body is the delivery ID.',
	},
	{
		displayName: NAMES.eventField,
		name: 'eventField',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'event',
		displayOptions: show(),
		description: `${PATH_HINT}, whose value says which run event a delivery is`,
	},
	eventValues('runStartValues', 'a run started', 'run.started'),
	eventValues('runFinishValues', 'a run finished (passed or failed: see Status Field)', 'run.completed'),
	eventValues('runTimeoutValues', 'a run timed out', 'run.timed_out'),
	eventValues('runCanceledValues', 'a run was canceled', 'run.canceled'),
	{
		displayName: NAMES.statusField,
		name: 'statusField',
		type: 'string',
		default: '',
		placeholder: 'run.result',
		displayOptions: show(),
		description: `${PATH_HINT}, whose value says whether a finished run failed. Left empty, the Event Field is read.`,
	},
	{
		displayName: NAMES.failedValues,
		name: 'failedValues',
		type: 'string',
		default: '',
		placeholder: 'failed, errored',
		displayOptions: show(),
		description:
			'Values of the Status Field that mean a finished run failed, comma-separated, any case. Any other value counts as passed, so list every failing one.',
	},
	{
		displayName: NAMES.runFields,
		name: 'runFields',
		type: 'collection',
		placeholder: 'Add Run Field',
		default: {},
		displayOptions: show(),
		description: 'Where the item’s run fields are read; a field not set, missing or of another type is null',
		options: [
			runField('branch', 'Git Branch', 'the branch (run.git.branch)'),
			runField('commit', 'Git Commit', 'the commit SHA (run.git.sha)'),
			runField('endedAt', 'Ended At', 'ISO 8601, or epoch seconds or milliseconds (run.endedAt)'),
			runField('id', 'Run ID', 'text or a number (run.ID)'),
			runField('name', 'Run Name', 'run.name'),
			runField('startedAt', 'Started At', 'ISO 8601, or epoch seconds or milliseconds (run.startedAt)'),
			runField('url', 'Run URL', 'run.url'),
		],
	},
];

/** The settings as the node holds them, for the source to check and use. */
export function signedWebhookParameters(fn: IWebhookFunctions): SourceParameters {
	return Object.fromEntries(
		signedWebhookProperties
			.filter((property) => property.type !== 'notice')
			.map((property) => [property.name, fn.getNodeParameter(property.name, property.default)]),
	);
}
