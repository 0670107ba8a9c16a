import { RUN_EVENTS } from '../../../lib/currents';
import { receiveOptions } from '../../support/receiveOptions';
import { deliver } from '../../../lib/dispatch/deliver';
import type { PreparedRequest } from '../../../lib/dispatch/request';
import {
	dedupKey,
	rateKey,
	readRedisSettings,
	redisFailure,
	RedisDeliveryMemory,
	RedisPool,
	RedisRateLimiter,
	RedisUnavailableError,
	release,
	reserveSlot,
	type RedisSettings,
} from '../../../lib/redis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { receiveDelivery, type ReceiveOptions } from '../../../lib/trigger';
import type { RedisServer } from '../../../tools/redisServer';
import { FakeClock } from '../../support/fakeClock';
import { describeWithRedis, startRedis } from '../../support/redis';
import { newStandardSecret, senderHeaders } from '../../support/signing';

const RUN_FINISH_BODY = readFileSync(join(__dirname, '..', '..', 'fixtures', 'currents-run-finish.json'), 'utf8');

const settingsFor = (server: RedisServer, extra: Partial<RedisSettings> = {}): RedisSettings =>
	readRedisSettings({ host: '127.0.0.1', port: server.port, database: 0, ...extra });

describe('Redis settings and messages (no server needed)', () => {
	it('reads n8n’s redis credential fields with its defaults', () => {
		expect(readRedisSettings({})).toEqual({ host: 'localhost', port: 6379, password: '', user: '', database: 0, ssl: false, disableTlsVerification: false });
		expect(readRedisSettings({ host: ' r.example ', port: 6380, password: 'pw', user: 'app', database: 3, ssl: true, disableTlsVerification: true })).toEqual({
			host: 'r.example',
			port: 6380,
			password: 'pw',
			user: 'app',
			database: 3,
			ssl: true,
			disableTlsVerification: true,
		});
	});

	it('refuses a bad port or database number, naming the field', () => {
		expect(() => readRedisSettings({ port: 0 })).toThrow(/Port/);
		expect(() => readRedisSettings({ port: 'x' })).toThrow(/Port/);
		expect(() => readRedisSettings({ database: -1 })).toThrow(/Database Number/);
	});

	it('never repeats the password in a failure message', () => {
		const settings = readRedisSettings({ host: 'h', password: 'hunter2-very-secret' });
		const error = redisFailure(settings, new Error('server said hunter2-very-secret is wrong'));
		expect(error).toBeInstanceOf(RedisUnavailableError);
		expect(error.message).toContain('redis://h:6379/0');
		expect(error.message).not.toContain('hunter2-very-secret');
	});

	it('pools one connection per settings (keyed by a hash, not the password)', () => {
		const pool = new RedisPool(60_000);
		const a = readRedisSettings({ host: '127.0.0.1', port: 1, password: 'secret-a' });
		const b = readRedisSettings({ host: '127.0.0.1', port: 1, password: 'secret-b' });
		const first = pool.acquire(a);
		const again = pool.acquire(a);
		const other = pool.acquire(b);
		expect(again.client).toBe(first.client);
		expect(other.client).not.toBe(first.client);
		expect(pool.size).toBe(2);
		expect(RedisPool.key(a)).not.toContain('secret-a');
		pool.closeAll();
		expect(pool.size).toBe(0);
	});

	it('closes a connection nobody holds after the idle time; one held again stays open', async () => {
		const pool = new RedisPool(5);
		const settings = readRedisSettings({ host: '127.0.0.1', port: 1 });
		const first = pool.acquire(settings);
		first.release();
		first.release(); // a second release of the same lease changes nothing
		const again = pool.acquire(settings);
		expect(again.client).toBe(first.client);
		await new Promise((resolve) => setTimeout(resolve, 30));
		expect(pool.size).toBe(1);
		again.release();
		await new Promise((resolve) => setTimeout(resolve, 30));
		expect(pool.size).toBe(0);
		expect(first.client.status).toBe('end');
		const fresh = pool.acquire(settings);
		expect(fresh.client).not.toBe(first.client);
		pool.closeAll();
	});
});

describeWithRedis('Redis deduplication and rate limit against a real redis-server', () => {
	let server: RedisServer;
	let pool: RedisPool;
	let settings: RedisSettings;

	beforeAll(async () => {
		server = await startRedis();
		settings = settingsFor(server);
	});
	beforeEach(() => {
		pool = new RedisPool(60_000);
	});
	afterEach(() => pool.closeAll());
	afterAll(async () => await server.dispose());

	/** Several independent connections, as several n8n processes would have. */
	const clients = (count: number) => Array.from({ length: count }, () => new RedisPool(60_000).acquire(settings).client);

	it('SET NX PX: a delivery is first once, then a duplicate; the key expires with the window', async () => {
		const memory = new RedisDeliveryMemory(pool.acquire(settings).client, settings);
		expect(await memory.firstSeen('wf:node:webhook:msg_1', 600_000)).toBe(true);
		expect(await memory.firstSeen('wf:node:webhook:msg_1', 600_000)).toBe(false);
		expect(await memory.firstSeen('wf:node:webhook:msg_2', 600_000)).toBe(true);
		const ttl = await pool.acquire(settings).client.pttl(dedupKey('wf:node:webhook:msg_1'));
		expect(ttl).toBeGreaterThan(0);
		expect(ttl).toBeLessThanOrEqual(600_000);
	});

	it('of 60 concurrent copies over 6 connections exactly one is first', async () => {
		const connections = clients(6);
		try {
			const answers = await Promise.all(
				Array.from({ length: 60 }, (_, index) => new RedisDeliveryMemory(connections[index % 6], settings).firstSeen('wf:node:webhook:msg_race', 60_000)),
			);
			expect(answers.filter(Boolean)).toHaveLength(1);
		} finally {
			for (const connection of connections) connection.disconnect();
		}
	});

	describe('through receiveDelivery', () => {
		const secret = newStandardSecret();
		const body = RUN_FINISH_BODY;
		const options = (memoryScope: string): ReceiveOptions =>
			receiveOptions('standardWebhooks', [secret], Date.now(), { memoryScope, memory: new RedisDeliveryMemory(pool.acquire(settings).client, settings) });
		const receive = async (scope: string, id: string) =>
			await receiveDelivery({ headers: senderHeaders('standardWebhooks', body, secret, Date.now(), id), rawBody: Buffer.from(body) }, options(scope));

		it('keeps test and production mode apart, and one trigger from another', async () => {
			const id = `msg_${Date.now()}_sep`;
			expect((await receive('wf1:node1:manual', id)).item).toBeDefined();
			expect((await receive('wf1:node1:webhook', id)).item).toBeDefined();
			expect((await receive('wf1:node2:webhook', id)).item).toBeDefined();
			expect((await receive('wf2:node1:webhook', id)).item).toBeDefined();
			const again = await receive('wf1:node1:webhook', id);
			expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
			expect((await receive('wf1:node1:manual', id)).body).toEqual({ received: true, duplicate: true });
		});
	});

	describe('the rate-limit script (GCRA, the server’s clock)', () => {
		it('spaces 40 concurrent reservations from 4 connections exactly 1/rate apart', async () => {
			const connections = clients(4);
			const key = rateKey(`cred-${Date.now()}`, 20);
			try {
				const spacing = 1025 / 20;
				const reservations = await Promise.all(
					Array.from({ length: 40 }, (_, index) => reserveSlot(connections[index % 4], key, spacing, Number.POSITIVE_INFINITY)),
				);
				expect(reservations.every((reservation) => reservation.granted)).toBe(true);
				const starts = reservations.map((reservation) => reservation.startMs).sort((a, b) => a - b);
				for (let index = 1; index < starts.length; index++) expect(starts[index] - starts[index - 1]).toBeGreaterThanOrEqual(spacing - 0.002);
				// No more than 20 starts in any one-second window.
				for (let index = 0; index < starts.length; index++)
					expect(starts.filter((start) => start >= starts[index] && start < starts[index] + 1000).length).toBeLessThanOrEqual(20);
			} finally {
				for (const connection of connections) connection.disconnect();
			}
		});

		it('refuses, without reserving, a slot beyond the caller’s bound', async () => {
			const client = pool.acquire(settings).client;
			const key = rateKey(`cred-${Date.now()}-bound`, 1);
			const first = await reserveSlot(client, key, 10_000, 0);
			expect(first.granted).toBe(true);
			const refused = await reserveSlot(client, key, 10_000, 1000);
			expect(refused.granted).toBe(false);
			expect(refused.waitMs).toBeGreaterThan(1000);
			// The refusal took nothing: the next slot is still the one right after the first.
			const next = await reserveSlot(client, key, 10_000, Number.POSITIVE_INFINITY);
			expect(next.startMs).toBeCloseTo(first.startMs + 10_000, 2);
		});

		it('the release log admits exactly `rate` of 25 concurrent releases within the window, from 5 connections', async () => {
			const connections = clients(5);
			const key = rateKey(`cred-${Date.now()}-log`, 20);
			try {
				const answers = await Promise.all(Array.from({ length: 25 }, (_, index) => release(connections[index % 5], key, 20, 1025, `member-${index}`)));
				expect(answers.filter((answer) => answer.granted)).toHaveLength(20);
				const refused = answers.filter((answer) => !answer.granted);
				expect(refused).toHaveLength(5);
				for (const answer of refused) {
					expect(answer.waitMs).toBeGreaterThan(0);
					expect(answer.waitMs).toBeLessThanOrEqual(1025);
				}
				expect(await connections[0].zcard(`${key}:released`)).toBe(20);
			} finally {
				for (const connection of connections) connection.disconnect();
			}
		});

		it('a release answered too late is taken back and asked for again (at most 3 times)', async () => {
			// A clock that moves 25 ms on every reading: every answer looks late (> 20 ms).
			let offset = 0;
			const slowClock = { now: () => Date.now() + (offset += 25), sleep: async (ms: number) => void (offset += ms) };
			const client = pool.acquire(settings).client;
			const limiterKey = `stale-${Date.now()}`;
			const limiter = new RedisRateLimiter({ client, settings, limiterKey, ratePerSecond: 20, clock: slowClock, unavailableWaitMs: 10_000 });
			expect(await limiter.acquire()).toBe(true);
			// Four releases were granted, three taken back: one stays in the log.
			expect(await client.zcard(`${rateKey(limiterKey, 20)}:released`)).toBe(1);
			const onTime = new RedisRateLimiter({
				client,
				settings,
				limiterKey: `on-time-${Date.now()}`,
				ratePerSecond: 20,
				clock: new FakeClock(),
				unavailableWaitMs: 10_000,
			});
			expect(await onTime.acquire()).toBe(true);
		});

		it('keeps one limiter per credential and rate', async () => {
			const client = pool.acquire(settings).client;
			const stamp = Date.now();
			const a = await reserveSlot(client, rateKey(`a-${stamp}`, 1), 1025, Number.POSITIVE_INFINITY);
			const b = await reserveSlot(client, rateKey(`b-${stamp}`, 1), 1025, Number.POSITIVE_INFINITY);
			expect(a.waitMs).toBe(0);
			expect(b.waitMs).toBe(0);
			expect(rateKey('a', 1)).not.toBe(rateKey('a', 2));
		});

		it('RedisRateLimiter waits the reserved time on the given clock', async () => {
			const clock = new FakeClock();
			const limiter = new RedisRateLimiter({
				client: pool.acquire(settings).client,
				settings,
				limiterKey: `limiter-${Date.now()}`,
				ratePerSecond: 2,
				clock,
				unavailableWaitMs: 10_000,
			});
			expect(await limiter.acquire()).toBe(true);
			expect(await limiter.acquire()).toBe(true);
			expect(clock.sleeps).toHaveLength(1);
			expect(clock.sleeps[0]).toBeGreaterThan(400);
			expect(clock.sleeps[0]).toBeLessThanOrEqual(1100 / 2);
		});
	});
});

describeWithRedis('Redis unavailable or refusing us', () => {
	const request: PreparedRequest = { method: 'POST', url: 'http://127.0.0.1:9/unused', headers: {}, body: '{}', carriesTransactionalId: true };

	it('stopped: deduplication throws (the trigger answers 503, no item), and works again once Redis is back', async () => {
		const server = await startRedis();
		const pool = new RedisPool(60_000);
		try {
			const settings = settingsFor(server);
			const memory = new RedisDeliveryMemory(pool.acquire(settings).client, settings);
			expect(await memory.firstSeen('wf:n:webhook:before', 60_000)).toBe(true);
			await server.stop();
			await expect(memory.firstSeen('wf:n:webhook:during', 60_000)).rejects.toThrow(/Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable/);

			const secret = newStandardSecret();
			const body = RUN_FINISH_BODY;
			const outcome = await receiveDelivery(
				{ headers: senderHeaders('standardWebhooks', body, secret, Date.now(), 'msg_down'), rawBody: Buffer.from(body) },
				{
					source: 'standardWebhooks',
					events: [...RUN_EVENTS],
					secrets: [secret],
					secretHeaderName: 'x',
					timestampToleranceSeconds: 300,
					deduplicationWindowSeconds: 600,
					includeRawPayload: false,
					memoryScope: 'wf:n:webhook',
					memory,
				},
			);
			expect(outcome.status).toBe(503);
			expect(outcome.item).toBeUndefined();
			expect(outcome.body.error).toMatch(/retry later/);
			expect(JSON.stringify(outcome.body)).not.toMatch(/127\.0\.0\.1/);
			expect(outcome.cause).toMatch(/unavailable/);

			await server.start();
			expect(await memory.firstSeen('wf:n:webhook:msg_down', 60_000)).toBe(true);
		} finally {
			pool.closeAll();
			await server.dispose();
		}
	});

	it('stopped: a dispatch keeps asking within the retry window, then fails the item naming the cause (kind rateLimit, nothing sent)', async () => {
		const server = await startRedis();
		const pool = new RedisPool(60_000);
		try {
			const settings = settingsFor(server);
			const client = pool.acquire(settings).client;
			await client.ping();
			await server.stop();
			const clock = new FakeClock();
			const limiter = new RedisRateLimiter({ client, settings, limiterKey: 'cred-down', ratePerSecond: 5, clock, unavailableWaitMs: 3000 });
			const outcome = await deliver(request, 'tx-1', { maxRetries: 3, retryWindowMs: 3000, timeoutMs: 1000, blockPrivateNetworks: false }, { clock, limiter });
			expect(outcome.success).toBe(false);
			expect(outcome.attempts).toHaveLength(0);
			expect(outcome.error?.kind).toBe('rateLimit');
			expect(outcome.error?.message).toMatch(/Rate limit not applied, request not sent: Redis at redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable/);
			// It asked again (every 0.5 s) before giving up at the end of the window.
			expect(clock.sleeps.length).toBeGreaterThanOrEqual(1);
			expect(clock.sleeps.every((ms) => ms === 500)).toBe(true);
		} finally {
			pool.closeAll();
			await server.dispose();
		}
	});

	it('wrong password: a clear error that names authentication and never the password', async () => {
		const server = await startRedis('the-right-password-123');
		const pool = new RedisPool(60_000);
		try {
			const wrong = settingsFor(server, { password: 'wrong-password-456' });
			const memory = new RedisDeliveryMemory(pool.acquire(wrong).client, wrong);
			const error = await memory.firstSeen('k', 1000).then(
				() => undefined,
				(failure: Error) => failure,
			);
			expect(error).toBeInstanceOf(RedisUnavailableError);
			expect(error!.message).toMatch(/authentication failed|WRONGPASS|NOAUTH/);
			expect(error!.message).not.toContain('wrong-password-456');
			expect(error!.message).not.toContain('the-right-password-123');

			const clock = new FakeClock();
			const limiter = new RedisRateLimiter({
				client: pool.acquire(wrong).client,
				settings: wrong,
				limiterKey: 'cred',
				ratePerSecond: 5,
				clock,
				unavailableWaitMs: 1000,
			});
			const outcome = await deliver(request, 'tx-2', { maxRetries: 0, retryWindowMs: 1000, timeoutMs: 1000, blockPrivateNetworks: false }, { clock, limiter });
			expect(outcome.error?.kind).toBe('rateLimit');
			expect(JSON.stringify(outcome)).not.toContain('wrong-password-456');

			const right = settingsFor(server, { password: 'the-right-password-123' });
			expect(await new RedisDeliveryMemory(pool.acquire(right).client, right).firstSeen('k', 1000)).toBe(true);
		} finally {
			pool.closeAll();
			await server.dispose();
		}
	});
});
