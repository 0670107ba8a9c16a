import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { node, NodeTypeRegistry } from '../support/engine';
import { senderHeaders } from '../support/signing';
import { TriggerHarness } from '../support/webhook';

const nodeTypes = new NodeTypeRegistry({ testRunTrigger: new TestRunTrigger() });
const SECRET = 'currents-shared-secret';
const body = readFileSync(join(__dirname, '..', 'fixtures', 'currents-run-finish.json'), 'utf8');
let webhookCounter = 0;

function harnessWith(options: Record<string, unknown>) {
	const trigger = node('testRunTrigger', { source: 'currents', registration: 'manual', options } as never, {
		name: 'Test Run Trigger',
		webhookId: `ranges-${++webhookCounter}`,
		credentials: { testRunWebhookSecret: { id: '2', name: 'Secret' } },
	});
	return new TriggerHarness(nodeTypes, trigger, { testRunWebhookSecret: { secret: SECRET, previousSecret: '' } });
}

describe('Test Run Trigger: option values outside their range', () => {
	it('a tolerance past the maximum is a day: a delivery two days old is still refused (main accepted it)', async () => {
		const harness = harnessWith({ timestampToleranceSeconds: 1e12 });
		const twoDaysAgo = Date.now() - 2 * 86_400_000;
		const answer = await harness.deliver(senderHeaders('currents', body, SECRET, twoDaysAgo), body);
		expect(answer.status).toBe(401);
		expect(harness.executions).toHaveLength(0);
		const recent = await harness.deliver(senderHeaders('currents', body, SECRET, Date.now() - 3_600_000), body);
		expect(recent.status).toBe(200);
	});

	it.each([
		[{ timestampToleranceSeconds: 'soon' }, 'Timestamp Tolerance (timestampToleranceSeconds) must be a number from 1 to 86400, got "soon"'],
		[{ deduplicationWindowSeconds: 'ten minutes' }, 'Deduplication Window (deduplicationWindowSeconds) must be a number from 0 to 2592000, got "ten minutes"'],
	])('%j is no number: 500 naming the field, no execution', async (options, message) => {
		const harness = harnessWith(options);
		const answer = await harness.deliver(senderHeaders('currents', body, SECRET, Date.now()), body);
		expect(answer).toEqual({ status: 500, body: { error: `The trigger is misconfigured: ${message}` } });
		expect(harness.executions).toHaveLength(0);
	});
});
