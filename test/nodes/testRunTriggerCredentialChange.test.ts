import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { node, NodeTypeRegistry } from '../support/engine';
import { senderHeaders } from '../support/signing';
import { TriggerHarness } from '../support/webhook';

const nodeTypes = new NodeTypeRegistry({ testRunTrigger: new TestRunTrigger() });
const body = readFileSync(join(__dirname, '..', 'fixtures', 'currents-run-finish.json'), 'utf8');
let counter = 0;
const OLD = 'currents-secret-old-0001';
const NEW = 'currents-secret-new-0002';

function harness(secret: string, previousSecret = '') {
	counter++;
	const trigger = node('testRunTrigger', { source: 'currents', registration: 'manual' } as never, {
		name: 'Test Run Trigger',
		webhookId: `credential-change-${counter}`,
		credentials: { testRunWebhookSecret: { id: '7', name: 'Secret' } },
	});
	return new TriggerHarness(nodeTypes, trigger, { testRunWebhookSecret: { secret, previousSecret } });
}

/** A distinct delivery each time (Currents deliveries are deduplicated by their bytes). */
let n = 0;
const deliver = async (h: TriggerHarness, secret: string) => {
	const unique = body.replace('"RUN_FINISH"', `"RUN_FINISH"${' '.repeat(++n)}`);
	return (await h.deliver(senderHeaders('currents', unique, secret, Date.now()), unique)).status;
};

describe('Test Run Trigger: the credential is read fresh for every request, shared only between concurrent ones', () => {
	it('an edited secret takes effect for the next request: the old one is refused at once', async () => {
		const h = harness(OLD);
		expect(await deliver(h, OLD)).toBe(200);
		h.credentials = { testRunWebhookSecret: { secret: NEW, previousSecret: '' } };
		expect(await deliver(h, OLD)).toBe(401);
		expect(await deliver(h, NEW)).toBe(200);
	});

	it('rotation: old and new both pass while previousSecret holds the old one; clearing it ends the old one', async () => {
		const h = harness(OLD);
		h.credentials = { testRunWebhookSecret: { secret: NEW, previousSecret: OLD } };
		expect(await deliver(h, OLD)).toBe(200);
		expect(await deliver(h, NEW)).toBe(200);
		h.credentials = { testRunWebhookSecret: { secret: NEW, previousSecret: '' } };
		expect(await deliver(h, OLD)).toBe(401);
		expect(await deliver(h, NEW)).toBe(200);
	});

	it('concurrent deliveries are all judged by the credential as it is when they arrive', async () => {
		const h = harness(OLD);
		const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => deliver(h, i % 2 ? OLD : 'not-the-secret-000000')));
		expect(statuses.filter((s) => s === 200)).toHaveLength(6);
		expect(statuses.filter((s) => s === 401)).toHaveLength(6);
		expect(h.executions).toHaveLength(6);
	});

	it('keeps nothing secret in workflow static data', async () => {
		const h = harness(OLD, NEW);
		await deliver(h, OLD);
		await deliver(h, 'not-the-secret-000000');
		const stored = JSON.stringify(h.staticData);
		expect(stored).not.toContain(OLD);
		expect(stored).not.toContain(NEW);
	});
});

describe('Test Run Trigger 1.1', () => {
	it('is the default version and behaves as 1', () => {
		const { description } = new TestRunTrigger();
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
	});

	it('reads the raw bytes itself when n8n did not (a content type n8n leaves unparsed from version 1.1 on)', async () => {
		const h = harness(OLD);
		const answer = await h.deliver({ 'x-webhook-secret': OLD, 'x-timestamp': String(Date.now()), 'content-type': 'application/vnd.currents+json' }, body, { unreadBody: true });
		expect(answer.status).toBe(200);
		expect(h.executions).toHaveLength(1);
	});
});
