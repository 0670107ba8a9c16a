import type { INodeProperties } from 'n8n-workflow';
import { NUMERIC_FIELDS, rangeOptions } from '../../lib/numericFields';
import { RUN_EVENTS } from '../../lib/currents';
import { SOURCE_DEFINITIONS, SOURCES } from '../../lib/sources';
import { projectLocator, runEventOptions } from '../shared/descriptions';
import { signedWebhookProperties } from './signedWebhook';

export const DEFAULT_SECRET_HEADER = 'x-webhook-secret';

/** The Source options, grouped as the registry orders them (test platforms, CI platforms, generic). */
const sourceOptions = SOURCE_DEFINITIONS.map((definition) => ({
	name: definition.displayName,
	value: definition.value,
	description: `${definition.group} · ${definition.summary}`,
}));

/** Per source: where to paste the URL and the secret on the platform, and what the proof cannot show. */
const sourceNotices: INodeProperties[] = SOURCE_DEFINITIONS.map((definition) => ({
	displayName: `<b>${definition.displayName}</b>: ${definition.docs.setup} ${definition.docs.cannotProve}`,
	name: `${definition.value}Notice`,
	type: 'notice',
	default: '',
	displayOptions: { show: { source: [definition.value] } },
}));

/** The canvas subtitle: the platform's name, looked up from the Source options. */
export const triggerSubtitle = `={{ ${JSON.stringify(Object.fromEntries(sourceOptions.map(({ value, name }) => [value, name])))}[$parameter["source"]] }}`;

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: sourceOptions,
		default: 'currents',
	},
	...sourceNotices,
	...signedWebhookProperties,
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
	projectLocator({ required: true, displayOptions: { show: { source: ['currents'], registration: ['automatic'] } } }),
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
			"In the Currents dashboard (Project Settings → Integrations → Webhooks), add a webhook with this node's <b>Production URL</b> and a custom header named as in Secret Header Name, whose value is the secret of the Test Run Webhook Secret credential. The Test URL only answers while you listen for a test event.",
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['currents'], registration: ['manual'] } },
	},
	{
		displayName:
			"Currents must reach this n8n: the trigger registers this node's Production URL, built from n8n's public URL. Behind a proxy or on localhost, set WEBHOOK_URL to a public address first. While you listen for a test event, a webhook labelled [test] points at the Test URL and is removed when listening stops.",
		name: 'automaticNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['currents'], registration: ['automatic'] } },
	},
	{
		displayName:
			"On the platform, register this node's <b>Production URL</b>: it receives deliveries while the workflow is active. The Test URL only answers while you listen for a test event, for one delivery.",
		name: 'productionUrlNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: SOURCES.filter((source) => source !== 'currents') } },
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
				typeOptions: { ...rangeOptions(NUMERIC_FIELDS.deduplicationWindowSeconds) },
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
				typeOptions: { ...rangeOptions(NUMERIC_FIELDS.timestampToleranceSeconds) },
				default: 300,
				description: 'How far a delivery timestamp may lie in the past or future',
			},
		],
	},
];

export const triggerPanel = {
	header: '',
	executionsHelp: {
		inactive:
			"<b>While you build the workflow</b>, click 'Listen for test event' and send one event to the <b>Test URL</b>: from the platform's webhook settings (Currents with automatic registration adds a [test] webhook for you; in Test Run Webhooks, Send Test posts a sample), or any sender signing with the credential's secret. <br /><br /><b>To run it for every event</b>, register the <b>Production URL</b> on the platform and activate the workflow." +
			`<br /><br /><b>Where to paste the URL and the secret</b>:<br />${SOURCE_DEFINITIONS.map((definition) => `${definition.displayName}: ${definition.docs.setup}`).join('<br />')}`,
		active:
			'<b>The workflow is active</b>: events the platform sends to the <b>Production URL</b> start executions, listed in the <a data-key="executions">executions list</a>. To try a change in the editor, click \'Listen for test event\' and send one event to the <b>Test URL</b>.',
	},
	activationHint: 'Once the workflow works, activate it and register the Production URL on the platform so every run event starts it without this button.',
};
