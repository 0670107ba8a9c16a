import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Clock } from '../dispatch/clock';
import type { Limiter } from '../dispatch/rateLimiter';
import { sleepUnlessStopped } from '../dispatch/stop';
import { redisFailure, RedisUnavailableError, type RedisSettings } from './connection';

export const RATE_KEY_PREFIX = 'n8n-nodes-test-run-webhooks:rate:';

/**
 * GCRA with no burst, on the Redis server's clock: the key holds the earliest time (ms) the
 * next request may start. Each call reserves the next slot atomically and answers how long to
 * wait for it, or refuses (-1) without reserving when the wait would exceed ARGV[2] (-1: no
 * bound). KEYS[1]: the limiter; ARGV[1]: spacing in ms (may have decimals).
 */
export const RESERVE_SLOT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local spacing = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local nextStart = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, nextStart)
local wait = start - now
if maxWait >= 0 and wait > maxWait then
  return {-1, string.format('%.3f', wait), string.format('%.3f', start)}
end
local after = start + spacing
redis.call('SET', KEYS[1], string.format('%.3f', after), 'PX', math.ceil(after - now) + 1000)
return {1, string.format('%.3f', wait), string.format('%.3f', start)}
`;

/**
 * The hard limit, on the moments requests are actually let go: a sliding-window log of
 * release times (a sorted set scored by the Redis server's clock). Grants when fewer than
 * ARGV[1] releases lie in the last ARGV[2] ms and records this one (member ARGV[3]);
 * otherwise answers how long until the oldest leaves the window. KEYS[1]: the log.
 */
export const RELEASE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local rate = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.3f', now - window))
if redis.call('ZCARD', KEYS[1]) < rate then
  redis.call('ZADD', KEYS[1], string.format('%.3f', now), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window) + 1000)
  return {1, '0'}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, string.format('%.3f', tonumber(oldest[2]) + window - now)}
`;

/** Takes back a release that came too late to use (see RedisRateLimiter). */
export async function unrelease(client: Redis, key: string, member: string): Promise<void> {
	await client.zrem(`${key}:released`, member);
}

/** Lets one request go if the window has room (granted), else says how long to wait. */
export async function release(
	client: Redis,
	key: string,
	ratePerSecond: number,
	windowMs: number,
	member: string,
): Promise<{ granted: boolean; waitMs: number }> {
	const [granted, wait] = (await client.eval(RELEASE_SCRIPT, 1, `${key}:released`, String(ratePerSecond), String(windowMs), member)) as [number, string];
	return { granted: granted === 1, waitMs: Number(wait) };
}

export interface Reservation {
	granted: boolean;
	waitMs: number;
	/** The slot's start on the Redis server's clock (epoch ms). */
	startMs: number;
}

/** Reserves the next slot of `key` (one per `spacingMs`), if it comes within `maxWaitMs`. */
export async function reserveSlot(client: Redis, key: string, spacingMs: number, maxWaitMs: number): Promise<Reservation> {
	const [granted, wait, start] = (await client.eval(
		RESERVE_SLOT_SCRIPT,
		1,
		key,
		String(spacingMs),
		String(Number.isFinite(maxWaitMs) ? Math.max(0, maxWaitMs) : -1),
	)) as [number, string, string];
	return { granted: granted === 1, waitMs: Number(wait), startMs: Number(start) };
}

/** The limiter's key: one per integration credential and rate, shared by every process. */
export function rateKey(limiterKey: string, ratePerSecond: number): string {
	return `${RATE_KEY_PREFIX}${limiterKey}@${ratePerSecond}`;
}

/**
 * The window the shared limit counts in: one second plus 10%. Within one process the limiter
 * also caps the moments requests really went (1% margin); across processes each has its
 * own event loop, and a request one process let go can reach the receiver after the next one
 * another process let go. The margin absorbs that, so receivers counting per second by arrival
 * see at most the rate (the queue-mode end-to-end test measures it; with 5% it once saw 21
 * in one second on a loaded 2-core host): 20/s sends about 18/s.
 */
export const SHARED_RATE_WINDOW_MS = 1100;

/**
 * A release whose answer took longer than this to reach us (a busy event loop left it unread)
 * is taken back and asked for again: sent now, it would arrive together with the requests other
 * processes were let go after it. Measured on this process's clock alone, so clocks may differ.
 */
export const STALE_RELEASE_MS = 20;

/** While Redis is unreachable, ask again this often. */
const RETRY_EVERY_MS = 500;

export interface RedisRateLimiterOptions {
	client: Redis;
	/** The connection the client was made for: named in the error when Redis cannot be reached. */
	settings: RedisSettings;
	/** What the limit is shared by: the integration credential's id. */
	limiterKey: string;
	ratePerSecond: number;
	clock: Clock;
	/** While Redis is unreachable, how long to keep asking before giving up (Dispatch: its retry window). */
	unavailableWaitMs: number;
}

/**
 * The Webhook Dispatch rate limit shared through Redis by every n8n process: at most
 * `ratePerSecond` starts in any one-second window across main, workers and webhook processors.
 * Two steps: a reservation paces callers 1/rate apart (first come, first served), then, after
 * the wait, the release log admits the request only if the window really has room: a process
 * that woke late (a busy event loop) cannot bunch its request with the next ones.
 * While Redis is unreachable it keeps asking, for at most `unavailableWaitMs` and never past
 * `notAfter`; then it throws a RedisUnavailableError naming the cause.
 * A stop (`signal`) ends every wait at once; a slot already reserved is then left unused.
 */
export class RedisRateLimiter implements Limiter {
	private readonly client: Redis;
	private readonly settings: RedisSettings;
	private readonly key: string;
	private readonly ratePerSecond: number;
	private readonly clock: Clock;
	private readonly unavailableWaitMs: number;

	constructor(options: RedisRateLimiterOptions) {
		this.client = options.client;
		this.settings = options.settings;
		this.ratePerSecond = options.ratePerSecond;
		this.clock = options.clock;
		this.unavailableWaitMs = options.unavailableWaitMs;
		this.key = rateKey(options.limiterKey, options.ratePerSecond);
	}

	async acquire(notAfter = Number.POSITIVE_INFINITY, signal?: AbortSignal): Promise<boolean> {
		if (this.ratePerSecond <= 0) return true;
		const sleep = (ms: number) => sleepUnlessStopped(this.clock, ms, signal);
		const spacing = SHARED_RATE_WINDOW_MS / this.ratePerSecond;
		const giveUpAt = Math.min(notAfter, this.clock.now() + this.unavailableWaitMs);
		let lastError: RedisUnavailableError | undefined;
		let reserved = false;
		let takenBack = 0;
		for (;;) {
			if (signal?.aborted) return false;
			try {
				if (!reserved) {
					const { granted, waitMs } = await reserveSlot(this.client, this.key, spacing, notAfter - this.clock.now());
					if (!granted) return false;
					reserved = true;
					if (waitMs > 0 && !(await sleep(waitMs))) return false;
				}
				for (;;) {
					if (signal?.aborted) return false;
					const member = randomUUID();
					const asked = this.clock.now();
					const { granted, waitMs } = await release(this.client, this.key, this.ratePerSecond, SHARED_RATE_WINDOW_MS, member);
					// Taken back at most 3 times: where every answer is late, sending late beats never sending.
					if (granted && (this.clock.now() - asked <= STALE_RELEASE_MS || ++takenBack > 3)) return true;
					if (granted) {
						await unrelease(this.client, this.key, member);
						continue;
					}
					if (this.clock.now() + waitMs > notAfter) return false;
					if (!(await sleep(Math.max(1, waitMs)))) return false;
				}
			} catch (error) {
				lastError = redisFailure(this.settings, error);
			}
			const now = this.clock.now();
			if (now + RETRY_EVERY_MS > giveUpAt) {
				const waited = Math.round(this.unavailableWaitMs / 1000);
				throw new RedisUnavailableError(`Rate limit not applied, request not sent: ${lastError.message} (asked again for up to ${waited} s)`);
			}
			if (!(await sleep(RETRY_EVERY_MS))) return false;
		}
	}
}
