import { createHash } from 'node:crypto';
import Redis, { type RedisOptions } from 'ioredis';
import { Redactor } from '../redact';

/** n8n's built-in `redis` credential, as the nodes read it. */
export interface RedisSettings {
	host: string;
	port: number;
	password: string;
	user: string;
	database: number;
	ssl: boolean;
	disableTlsVerification: boolean;
}

export const REDIS_CREDENTIAL = 'redis';

/** Reads the credential's fields; errors name the field, never the password. */
export function readRedisSettings(raw: Record<string, unknown>): RedisSettings {
	const host = String(raw.host ?? 'localhost').trim() || 'localhost';
	const port = Number(raw.port ?? 6379);
	if (!Number.isInteger(port) || port < 1 || port > 65535)
		throw new Error(`Redis credential: Port must be a whole number from 1 to 65535, got ${String(raw.port)}`);
	const database = Number(raw.database ?? 0);
	if (!Number.isInteger(database) || database < 0)
		throw new Error(`Redis credential: Database Number must be a whole number from 0, got ${String(raw.database)}`);
	return {
		host,
		port,
		password: typeof raw.password === 'string' ? raw.password : '',
		user: typeof raw.user === 'string' ? raw.user.trim() : '',
		database,
		ssl: raw.ssl === true,
		disableTlsVerification: raw.disableTlsVerification === true,
	};
}

/** Where the connection goes, for messages: never the password. */
export function describeRedis(settings: RedisSettings): string {
	return `${settings.ssl ? 'rediss' : 'redis'}://${settings.user ? `${settings.user}@` : ''}${settings.host}:${settings.port}/${settings.database}`;
}

/** Redis did not answer, or refused us: the caller decides whether to wait, answer 503 or fail the item. */
export class RedisUnavailableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RedisUnavailableError';
	}
}

/**
 * A message about a Redis failure that names the server and the cause and never contains the
 * password (ioredis does not print it today; this makes sure a future message cannot either).
 */
export function redisFailure(settings: RedisSettings, error: unknown): RedisUnavailableError {
	let cause = new Redactor([settings.password]).text(error instanceof Error ? error.message : String(error));
	if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(cause))
		cause = `authentication failed (check the Redis credential's User and Password): ${cause}`;
	return new RedisUnavailableError(`Redis at ${describeRedis(settings)} is unavailable: ${cause}`);
}

/**
 * Bounded waits: a command fails within seconds while Redis is down (a refused connection at
 * once), instead of queueing. Not much shorter: on a busy host (n8n's processes on 2 cores)
 * 2 s timed out while Redis was fine.
 */
const COMMAND_TIMEOUT_MS = 5000;
const CONNECT_TIMEOUT_MS = 5000;

function clientOptions(settings: RedisSettings): RedisOptions {
	return {
		host: settings.host,
		port: settings.port,
		db: settings.database,
		username: settings.user || undefined,
		password: settings.password || undefined,
		tls: settings.ssl ? { rejectUnauthorized: !settings.disableTlsVerification } : undefined,
		connectTimeout: CONNECT_TIMEOUT_MS,
		commandTimeout: COMMAND_TIMEOUT_MS,
		// A command waits for at most one reconnection, then fails: the callers retry on their own terms.
		maxRetriesPerRequest: 1,
		retryStrategy: (times) => Math.min(100 * times, 1000),
		// A wrong password is final: reconnecting would only repeat it.
		reconnectOnError: () => false,
		lazyConnect: true,
		enableAutoPipelining: true,
		connectionName: 'n8n-nodes-test-run-webhooks',
	};
}

interface Pooled {
	client: Redis;
	users: number;
	idleTimer?: NodeJS.Timeout;
	lastError?: string;
}

/**
 * One connection per Redis server and login, per process, shared by every node that uses it.
 * A connection nobody holds is closed after `idleMs`, so a deactivated trigger or a finished
 * execution leaves nothing open for long, and the timer never keeps n8n from exiting.
 */
export class RedisPool {
	private readonly pooled = new Map<string, Pooled>();

	constructor(private readonly idleMs = 30_000) {}

	/** The pool key: a hash of the connection settings, so the password is not kept as a key. */
	static key(settings: RedisSettings): string {
		return createHash('sha256').update(JSON.stringify(settings)).digest('hex');
	}

	/** A lease on the shared connection; call `release` when done. */
	acquire(settings: RedisSettings): { client: Redis; release: () => void } {
		const key = RedisPool.key(settings);
		let entry = this.pooled.get(key);
		if (!entry || entry.client.status === 'end') {
			const client = new Redis(clientOptions(settings));
			const created: Pooled = { client, users: 0 };
			// Without a listener ioredis reports every failed reconnect as an unhandled error.
			client.on('error', (error: Error) => {
				created.lastError = error.message;
			});
			entry = created;
			this.pooled.set(key, entry);
		}
		const held = entry;
		if (held.idleTimer) clearTimeout(held.idleTimer);
		held.idleTimer = undefined;
		held.users++;
		let released = false;
		return {
			client: held.client,
			release: () => {
				if (released) return;
				released = true;
				held.users--;
				if (held.users > 0) return;
				held.idleTimer = setTimeout(() => this.close(key, held), this.idleMs);
				held.idleTimer.unref();
			},
		};
	}

	/** Open connections (for tests and diagnostics). */
	get size(): number {
		return this.pooled.size;
	}

	private close(key: string, entry: Pooled): void {
		if (this.pooled.get(key) === entry) this.pooled.delete(key);
		entry.client.disconnect();
	}

	/** Closes every connection at once (process shutdown, tests). */
	closeAll(): void {
		for (const [key, entry] of this.pooled) {
			if (entry.idleTimer) clearTimeout(entry.idleTimer);
			this.close(key, entry);
		}
	}
}

/** The connections of this n8n process. */
export const redisPool = new RedisPool();
