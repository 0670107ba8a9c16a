import { RedisServer, redisServerBinary } from '../../tools/redisServer';

/**
 * Tests of the Redis scripts run against a real redis-server, started by the test on a free
 * loopback port. Without the binary they are skipped with a message, unless REQUIRE_REDIS_SERVER
 * is set (CI sets it, after scripts/ensure-redis.sh installed it): then they fail.
 */
export const REDIS_BINARY = redisServerBinary();

export const describeWithRedis: jest.Describe = (() => {
	if (REDIS_BINARY) return describe;
	if (process.env.REQUIRE_REDIS_SERVER) throw new Error('REQUIRE_REDIS_SERVER is set but redis-server was not found: run bash scripts/ensure-redis.sh');
	console.warn('SKIPPED: the Redis tests need redis-server (bash scripts/ensure-redis.sh installs it, or set REDIS_SERVER)');
	return describe.skip;
})();

export async function startRedis(password?: string): Promise<RedisServer> {
	const server = new RedisServer(REDIS_BINARY!, password);
	await server.start();
	return server;
}
