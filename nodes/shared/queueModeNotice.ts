import type { INodeProperties } from 'n8n-workflow';
import { runsInQueueMode } from './queueMode';

/**
 * Shown only where n8n runs in queue mode (the description is built in each n8n process when it
 * loads the package, and the editor is served by main, which has EXECUTIONS_MODE=queue then).
 * A notice cannot see whether a credential is attached, so it says what to do either way.
 */
export function queueModeNotice(withoutRedis: string): INodeProperties[] {
	if (!runsInQueueMode()) return [];
	return [
		{
			displayName: `This n8n runs in queue mode: main, webhook processors and workers are separate processes. Without a <b>Redis</b> credential on this node, ${withoutRedis} If one is attached, this is handled through Redis and you can ignore this notice.`,
			name: 'queueModeNotice',
			type: 'notice',
			default: '',
		},
	];
}
