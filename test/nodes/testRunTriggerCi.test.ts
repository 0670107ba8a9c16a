import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from '../../lib/sources';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { node, NodeTypeRegistry } from '../support/engine';
import { TriggerHarness } from '../support/webhook';

const nodeTypes = new NodeTypeRegistry({ testRunTrigger: new TestRunTrigger() });
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
let webhookCounter = 0;

function harnessFor(source: Source, secret: string) {
	webhookCounter++;
	const trigger = node('testRunTrigger', { source, registration: 'manual' } as never, {
		name: 'Test Run Trigger',
		webhookId: `ci-hook-${webhookCounter}`,
		credentials: { testRunWebhookSecret: { id: '2', name: 'Secret' } },
	});
	return new TriggerHarness(nodeTypes, trigger, { testRunWebhookSecret: { secret, previousSecret: '' } });
}

const hmacHex = (secret: string, message: string) => createHmac('sha256', secret).update(message, 'utf8').digest('hex');

interface CiCase {
	source: Source;
	secret: string;
	/** A genuine delivery of the platform's run event, sent now. */
	runEvent: () => string;
	/** The platform's ping or test event, sent now. */
	ping: () => string;
	/** An event the trigger does not map, sent now. */
	otherEvent: () => string;
	/** Headers signed with `secret` by the vendor's recipe, written here. */
	sign: (body: string, secret: string, eventType: string) => Record<string, string>;
	ignored: { ping: string; otherEvent: string };
	item: Record<string, unknown>;
}

const circleciAt = (nowMs: number) => fixture('circleci-workflow-completed.json').replace('2026-10-20T09:44:12.318Z', new Date(nowMs).toISOString());

const CASES: CiCase[] = [
	{
		source: 'circleci',
		secret: 'circleci-signing-secret',
		runEvent: () => circleciAt(Date.now()),
		ping: () => JSON.stringify({ type: 'ping', id: 'ping-1', happened_at: new Date().toISOString(), webhook: { id: 'w', name: 'qa' } }),
		otherEvent: () => circleciAt(Date.now()).replace('"workflow-completed"', '"job-completed"'),
		sign: (body, secret, eventType) => ({ 'circleci-event-type': eventType, 'circleci-signature': `v1=${hmacHex(secret, body)}` }),
		ignored: { ping: 'CircleCI event type "ping" is not a run event', otherEvent: 'CircleCI event type "job-completed" is not a run event' },
		item: {
			event: 'RUN_FINISH',
			source: 'circleci',
			deliveryId: 'circleci:5d1f0b3e-7a8c-3e91-b2f4-0c6d8e9a1b2c',
			run: { id: 'fda08377-fe7e-46b1-8992-3a7aaecac9c3', status: 'failed', app: { name: 'storefront', platform: null }, totals: { tests: null, failed: null }, failures: [] },
		},
	},
	{
		source: 'buildkite',
		secret: 'buildkite-webhook-token',
		runEvent: () => fixture('buildkite-build-finished.json'),
		ping: () => JSON.stringify({ event: 'ping', service: { id: 's', provider: 'webhook' }, sender: { name: 'Dana' } }),
		otherEvent: () => fixture('buildkite-build-finished.json').replace('"build.finished"', '"build.scheduled"'),
		sign: (body, secret, eventType) => {
			const seconds = Math.floor(Date.now() / 1000);
			return { 'x-buildkite-event': eventType, 'x-buildkite-signature': `timestamp=${seconds},signature=${hmacHex(secret, `${seconds}.${body}`)}` };
		},
		ignored: { ping: 'Buildkite event "ping" is not a run event', otherEvent: 'Buildkite event "build.scheduled" is not a run event' },
		item: {
			event: 'RUN_FINISH',
			source: 'buildkite',
			deliveryId: expect.stringMatching(/^buildkite:[0-9a-f]{32}$/),
			run: { id: 'f62a1b4d-10f9-4790-bc1c-e2c3a0c80983', name: 'Storefront E2E #1290', status: 'failed', app: { name: 'Storefront E2E', platform: null }, totals: { tests: null }, failures: [] },
		},
	},
];

describe('Test Run Trigger in the engine, Buildkite token mode', () => {
	it('the token starts a run; a wrong token is 401; the same body again is a duplicate', async () => {
		const harness = harnessFor('buildkite', 'buildkite-webhook-token');
		const body = fixture('buildkite-build-finished.json');
		expect((await harness.deliver({ 'x-buildkite-token': 'buildkite-webhook-token-2' }, body)).status).toBe(401);
		expect(await harness.deliver({ 'x-buildkite-token': 'buildkite-webhook-token' }, body)).toEqual({ status: 200, body: { received: true } });
		expect(await harness.deliver({ 'x-buildkite-token': 'buildkite-webhook-token' }, body)).toEqual({ status: 200, body: { received: true, duplicate: true } });
		expect(harness.executions).toHaveLength(1);
	});
});

describe.each(CASES)('Test Run Trigger in the engine, source $source', (c) => {
	it('a genuine run event starts one execution with the normalized item', async () => {
		const harness = harnessFor(c.source, c.secret);
		const body = c.runEvent();
		expect(await harness.deliver(c.sign(body, c.secret, 'run'), body)).toEqual({ status: 200, body: { received: true } });
		expect(harness.executions).toHaveLength(1);
		expect(harness.lastItem()).toMatchObject({ ...c.item, raw: JSON.parse(body) });
	});

	it.each([['ping'], ['otherEvent']] as const)('a genuine %s is answered 200 ignored and starts nothing; a forged one 401', async (kind) => {
		const harness = harnessFor(c.source, c.secret);
		const body = c[kind]();
		expect(await harness.deliver(c.sign(body, c.secret, kind), body)).toEqual({ status: 200, body: { received: true, ignored: c.ignored[kind] } });
		const forged = await harness.deliver(c.sign(body, `${c.secret}-forged`, kind), body);
		expect(forged.status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});
});
