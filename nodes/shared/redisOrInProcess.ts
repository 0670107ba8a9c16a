import type Redis from 'ioredis';
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { readRedisSettings, REDIS_CREDENTIAL, redisPool, type RedisSettings } from '../../lib/redis';

/** Something shared with other executions, and what to call once this one is done with it. */
export interface Leased<T> {
	value: T;
	release: () => void;
}

/**
 * With n8n's Redis credential attached to the node: `redis` built on a pooled client, shared by
 * every n8n process (released to the pool after use). Without it: this process's `inProcess`.
 * Throws when the credential cannot be read; each caller says so in its own way.
 */
export async function redisOrInProcess<T>(
	fn: IExecuteFunctions | IWebhookFunctions,
	build: { redis: (client: Redis, settings: RedisSettings) => T; inProcess: () => T },
	/** How the credential is read (a caller may keep a recent read); by default, now. */
	readSettings: () => Promise<RedisSettings> = async () => readRedisSettings(await fn.getCredentials(REDIS_CREDENTIAL)),
): Promise<Leased<T>> {
	if (!fn.getNode().credentials?.[REDIS_CREDENTIAL]) return { value: build.inProcess(), release: () => {} };
	const settings = await readSettings();
	const { client, release } = redisPool.acquire(settings);
	return { value: build.redis(client, settings), release };
}
