import type Redis from 'ioredis';
import type { Clock } from '../dispatch/clock';
import { RATE_WINDOW_MS, type Limiter } from '../dispatch/rateLimiter';
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

export interface Reservation {
	granted: boolean;
	waitMs: number;
	/** The slot's start on the Redis server's clock (epoch ms). */
	startMs: number;
}

/** Reserves the next slot of `key` (one per `spacingMs`), if it comes within `maxWaitMs`. */
export async function reserveSlot(client: Redis, key: string, spacingMs: number, maxWaitMs: number): Promise<Reservation> {
	const [granted, wait, start] = (await client.eval(RESERVE_SLOT_SCRIPT, 1, key, String(spacingMs), String(Number.isFinite(maxWaitMs) ? Math.max(0, maxWaitMs) : -1))) as [number, string, string];
	return { granted: granted === 1, waitMs: Number(wait), startMs: Number(start) };
}

/** The limiter's key: one per integration credential and rate, shared by every process. */
export function rateKey(limiterKey: string, ratePerSecond: number): string {
	return `${RATE_KEY_PREFIX}${limiterKey}@${ratePerSecond}`;
}

/** While Redis is unreachable, ask again this often. */
const RETRY_EVERY_MS = 500;

/**
 * The Webhook Dispatch rate limit shared through Redis by every n8n process: at most
 * `ratePerSecond` starts in any one-second window across main, workers and webhook processors.
 * While Redis is unreachable it keeps asking, for at most `unavailableWaitMs` (the retry
 * window) and never past `notAfter`; then it throws a RedisUnavailableError naming the cause.
 */
export class RedisRateLimiter implements Limiter {
	private readonly key: string;

	constructor(
		private readonly client: Redis,
		private readonly settings: RedisSettings,
		limiterKey: string,
		private readonly ratePerSecond: number,
		private readonly clock: Clock,
		private readonly unavailableWaitMs: number,
	) {
		this.key = rateKey(limiterKey, ratePerSecond);
	}

	async acquire(notAfter = Number.POSITIVE_INFINITY): Promise<boolean> {
		if (this.ratePerSecond <= 0) return true;
		const spacing = RATE_WINDOW_MS / this.ratePerSecond;
		const giveUpAt = Math.min(notAfter, this.clock.now() + this.unavailableWaitMs);
		let lastError: RedisUnavailableError | undefined;
		for (;;) {
			try {
				const { granted, waitMs } = await reserveSlot(this.client, this.key, spacing, notAfter - this.clock.now());
				if (!granted) return false;
				if (waitMs > 0) await this.clock.sleep(waitMs);
				return true;
			} catch (error) {
				lastError = redisFailure(this.settings, error);
			}
			const now = this.clock.now();
			if (now + RETRY_EVERY_MS > giveUpAt) {
				const waited = Math.round(this.unavailableWaitMs / 1000);
				throw new RedisUnavailableError(`Rate limit not applied, request not sent: ${lastError.message} (asked again for up to ${waited} s)`);
			}
			await this.clock.sleep(RETRY_EVERY_MS);
		}
	}
}
