import { redisPool } from '../../lib/redis';
import { SECRET_FRESHNESS_SECONDS } from '../../lib/trigger';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { WebhookDispatch } from '../../nodes/WebhookDispatch/WebhookDispatch.node';
import { startReceiver, type LoopbackServer } from '../../tools/httpServer';
import type { RedisServer } from '../../tools/redisServer';
import { itemsInto, node, NodeTypeRegistry, outputOf, runWorkflow } from '../support/engine';
import { describeWithRedis, startRedis } from '../support/redis';
import { newStandardSecret, senderHeaders } from '../support/signing';
import { TriggerHarness } from '../support/webhook';
import { fixtureText } from '../support/fixtures';

const nodeTypes = new NodeTypeRegistry({ testRunTrigger: new TestRunTrigger(), webhookDispatch: new WebhookDispatch() });
const BODY = fixtureText('currents-run-finish.json');
const REDIS_PASSWORD = 'redis-password-never-shown';

describe('the optional Redis credential in the node descriptions', () => {
	it('both nodes accept n8n’s built-in redis credential, not required', () => {
		for (const type of [new TestRunTrigger(), new WebhookDispatch()]) {
			expect(type.description.credentials).toContainEqual({ name: 'redis', required: false });
		}
	});

	it('shows no queue-mode notice outside queue mode', () => {
		for (const type of [new TestRunTrigger(), new WebhookDispatch()]) {
			expect(type.description.properties.map((property) => property.name)).not.toContain('queueModeNotice');
		}
	});

	it('shows the queue-mode notice where n8n runs in queue mode', () => {
		const before = process.env.EXECUTIONS_MODE;
		process.env.EXECUTIONS_MODE = 'queue';
		try {
			const trigger = new TestRunTrigger().description.properties.find((property) => property.name === 'queueModeNotice');
			const dispatch = new WebhookDispatch().description.properties.find((property) => property.name === 'queueModeNotice');
			expect(trigger?.type).toBe('notice');
			expect(trigger?.displayName).toMatch(/deduplication is kept per process/);
			expect(dispatch?.displayName).toMatch(/rate limit is kept per process/);
		} finally {
			if (before === undefined) delete process.env.EXECUTIONS_MODE;
			else process.env.EXECUTIONS_MODE = before;
		}
	});
});

describeWithRedis('nodes with the Redis credential, against a real redis-server', () => {
	let redis: RedisServer;
	let receiver: LoopbackServer | undefined;
	let counter = 0;

	beforeAll(async () => {
		redis = await startRedis(REDIS_PASSWORD);
	});
	afterEach(async () => {
		await receiver?.close();
		receiver = undefined;
		if (!redis.pid) await redis.start();
	});
	afterAll(async () => {
		redisPool.closeAll();
		await redis.dispose();
	});

	const redisCredential = (password = REDIS_PASSWORD) => ({ host: '127.0.0.1', port: redis.port, password, user: '', database: 0, ssl: false });

	function trigger(withRedis: boolean, password = REDIS_PASSWORD, workflowId = 'wf-redis') {
		counter++;
		const secret = newStandardSecret();
		const triggerNode = node('testRunTrigger', { source: 'standardWebhooks' } as never, {
			name: 'Test Run Trigger',
			webhookId: `redis-hook-${counter}`,
			credentials: { testRunWebhookSecret: { id: '2', name: 'Secret' }, ...(withRedis ? { redis: { id: '9', name: 'Redis' } } : {}) },
		});
		const harness = new TriggerHarness(
			nodeTypes,
			triggerNode,
			{ testRunWebhookSecret: { secret, previousSecret: '' }, redis: redisCredential(password) },
			workflowId,
		);
		const send = async (id: string, test = false) => await harness.deliver(senderHeaders('standardWebhooks', BODY, secret, Date.now(), id), BODY, { test });
		return { harness, send };
	}

	it('trigger: a delivery seen by one "process" is a duplicate for another, through Redis', async () => {
		// Two harnesses of the same deployed trigger stand for two n8n processes.
		const first = trigger(true);
		const id = `msg_shared_${Date.now()}`;
		expect(await first.send(id)).toEqual({ status: 200, body: { received: true } });
		expect(await first.send(id)).toEqual({ status: 200, body: { received: true, duplicate: true } });
		expect(first.harness.executions).toHaveLength(1);
		// The same id on the Test URL is another mode: accepted once there too.
		expect(await first.send(id, true)).toEqual({ status: 200, body: { received: true } });
	});

	it('trigger: Redis down answers 503 and starts nothing; back up, the retried delivery runs once', async () => {
		const { harness, send } = trigger(true);
		const id = `msg_down_${Date.now()}`;
		await redis.stop();
		const answer = await send(id);
		expect(answer.status).toBe(503);
		expect(JSON.stringify(answer.body)).toMatch(/retry later/);
		expect(JSON.stringify(answer.body)).not.toContain(REDIS_PASSWORD);
		expect(harness.executions).toHaveLength(0);
		await redis.start();
		expect(await send(id)).toEqual({ status: 200, body: { received: true } });
		expect(await send(id)).toEqual({ status: 200, body: { received: true, duplicate: true } });
		expect(harness.executions).toHaveLength(1);
	});

	it('trigger: a wrong Redis password answers 503, starts nothing and never shows the password', async () => {
		const { harness, send } = trigger(true, 'a-wrong-redis-password');
		const answer = await send(`msg_wrongpass_${Date.now()}`);
		expect(answer.status).toBe(503);
		expect(JSON.stringify(answer.body)).not.toContain('a-wrong-redis-password');
		expect(harness.executions).toHaveLength(0);
	});

	it(`trigger: the Redis credential is read at most every ${SECRET_FRESHNESS_SECONDS.accepted} s on the Production URL, fresh on the Test URL; an edit counts within that bound`, async () => {
		const { harness, send } = trigger(true, REDIS_PASSWORD, `wf-redis-reads-${counter}`);
		const secretCredential = harness.credentials.testRunWebhookSecret;
		let redisCredentialNow = redisCredential();
		let redisReads = 0;
		harness.credentials = {
			testRunWebhookSecret: secretCredential,
			get redis() {
				redisReads++;
				return redisCredentialNow;
			},
		};
		for (let i = 0; i < 5; i++) expect((await send(`msg_reads_${Date.now()}_${i}`)).status).toBe(200);
		expect(redisReads).toBe(1);
		// A password edited to a wrong one counts once the last read is older than the bound.
		redisCredentialNow = redisCredential('a-wrong-redis-password');
		expect((await send(`msg_reads_${Date.now()}_5`)).status).toBe(200);
		const real = Date.now.bind(Date);
		jest.spyOn(Date, 'now').mockImplementation(() => real() + SECRET_FRESHNESS_SECONDS.accepted * 1000 + 1);
		try {
			expect((await send(`msg_reads_${real()}_6`)).status).toBe(503);
			expect(redisReads).toBe(2);
		} finally {
			jest.restoreAllMocks();
		}
		redisCredentialNow = redisCredential();
		for (let i = 0; i < 2; i++) expect((await send(`msg_reads_test_${Date.now()}_${i}`, true)).status).toBe(200);
		expect(redisReads).toBe(4);
	});

	it('trigger without the credential: unchanged, in-process (Redis down does not matter)', async () => {
		await redis.stop();
		const { harness, send } = trigger(false);
		const id = `msg_local_${Date.now()}`;
		expect(await send(id)).toEqual({ status: 200, body: { received: true } });
		expect(await send(id)).toEqual({ status: 200, body: { received: true, duplicate: true } });
		expect(harness.executions).toHaveLength(1);
	});

	async function dispatch(items: number, retryWindowSeconds: number, integrationId: string) {
		const target = node(
			'webhookDispatch',
			{ method: 'POST', bodyContentType: 'json', body: '{"n": ${ n }}', onFailure: 'routeToFailureOutput', options: { retryWindowSeconds } } as never,
			{
				name: 'Dispatch',
				typeVersion: 1.1,
				credentials: { webhookIntegration: { id: integrationId, name: 'Receiver' }, redis: { id: '9', name: 'Redis' } },
			},
		);
		const run = await runWorkflow({
			...itemsInto(target, Array.from({ length: items }, (_, n) => ({ n })) as never),
			nodeTypes,
			startNode: 'Items',
			credentials: {
				webhookIntegration: {
					rootUrl: receiver!.url,
					headers: '',
					secretHeaders: '',
					rateLimitPerSecond: 50,
					signingSecret: newStandardSecret(),
					timeoutSeconds: 5,
					blockPrivateNetworks: false,
				},
				redis: redisCredential(),
			},
		});
		return { success: outputOf(run, 'Dispatch', 0), failure: outputOf(run, 'Dispatch', 1), run };
	}

	it('dispatch: with Redis up every item is sent through the shared limiter', async () => {
		receiver = await startReceiver();
		const { success, failure } = await dispatch(5, 10, `integration-up-${Date.now()}`);
		expect(success).toHaveLength(5);
		expect(failure).toHaveLength(0);
		expect(receiver.requests).toHaveLength(5);
	});

	it('dispatch: with Redis down items leave by Failure naming the cause, nothing is sent, no password shown', async () => {
		receiver = await startReceiver();
		await redis.stop();
		const { success, failure } = await dispatch(2, 1, `integration-down-${Date.now()}`);
		expect(success).toHaveLength(0);
		expect(failure).toHaveLength(2);
		for (const item of failure) {
			expect(item.error).toMatchObject({ kind: 'rateLimit' });
			expect(String((item.error as { message: string }).message)).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable/);
		}
		expect(JSON.stringify(failure)).not.toContain(REDIS_PASSWORD);
		expect(receiver.requests).toHaveLength(0);
	});
});
