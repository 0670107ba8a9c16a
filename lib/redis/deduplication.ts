import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { DeliveryMemory } from '../trigger';
import { redisFailure, type RedisSettings } from './connection';

export const DEDUP_KEY_PREFIX = 'n8n-nodes-test-run-webhooks:dedup:';

/** The Redis key of a delivery key (`<workflow>:<node>:<mode>:<delivery id>`): fixed length, no raw sender text. */
export function dedupKey(key: string): string {
	return DEDUP_KEY_PREFIX + createHash('sha256').update(key).digest('hex');
}

/**
 * Delivery memory shared by every n8n process through Redis: one `SET key 1 NX PX window` per
 * delivery, atomic on the server, so of any number of concurrent copies exactly one is first.
 * Redis failures throw a RedisUnavailableError (the trigger answers 503: the sender retries).
 */
export class RedisDeliveryMemory implements DeliveryMemory {
	constructor(
		private readonly client: Redis,
		private readonly settings: RedisSettings,
	) {}

	async firstSeen(key: string, windowMs: number): Promise<boolean> {
		try {
			const answer = await this.client.set(dedupKey(key), '1', 'PX', Math.max(1, Math.round(windowMs)), 'NX');
			return answer === 'OK';
		} catch (error) {
			throw redisFailure(this.settings, error);
		}
	}
}
