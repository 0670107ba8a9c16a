import type { IDataObject } from 'n8n-workflow';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { node, NodeTypeRegistry } from './engine';
import { TriggerHarness } from './webhook';

export const TRIGGER_NODE_TYPES = new NodeTypeRegistry({ testRunTrigger: new TestRunTrigger() });

let deployed = 0;

/**
 * A Test Run Trigger with these parameters and a webhook secret credential, deployed under a
 * webhook id of its own (its deduplication memory and secret cache are its own).
 */
export function secretTriggerHarness(parameters: IDataObject, { secret, previousSecret = '' }: { secret: string; previousSecret?: string }): TriggerHarness {
	const trigger = node('testRunTrigger', parameters as never, {
		name: 'Test Run Trigger',
		webhookId: `trigger-${++deployed}`,
		credentials: { testRunWebhookSecret: { id: '2', name: 'Secret' } },
	});
	return new TriggerHarness(TRIGGER_NODE_TYPES, trigger, { testRunWebhookSecret: { secret, previousSecret } });
}
