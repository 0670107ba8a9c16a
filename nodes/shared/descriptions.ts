import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';
import { RUN_EVENTS } from '../../lib/currents';

const EVENT_LABELS: Record<(typeof RUN_EVENTS)[number], { name: string; description: string }> = {
	RUN_START: { name: 'Run Started', description: 'A run started' },
	RUN_FINISH: { name: 'Run Finished', description: 'A run completed, passed or failed' },
	RUN_TIMEOUT: { name: 'Run Timed Out', description: 'A run timed out' },
	RUN_CANCELED: { name: 'Run Canceled', description: 'A run was canceled' },
};

/** The run events as editor options, for the Test Run Webhooks node and the trigger alike. */
export const runEventOptions = RUN_EVENTS.map((value) => ({ value, ...EVENT_LABELS[value] }));

/** The Currents project picker (from the credential's project list, or by ID). */
export const projectLocator = ({ required, displayOptions }: { required: boolean; displayOptions: IDisplayOptions }): INodeProperties => ({
	displayName: 'Project',
	name: 'projectId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required,
	description: required ? 'The project whose webhooks to manage' : 'Only used to list the webhooks to choose from; the webhook ID alone identifies it',
	displayOptions,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchProjects', searchable: true },
		},
		{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. proj_abc123' },
	],
});
