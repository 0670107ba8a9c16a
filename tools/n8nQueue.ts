import { randomBytes } from 'node:crypto';
import { N8nServer, type ImportedCredential, type N8nInstall } from './n8nServer';
import { Postgres } from './postgres';
import { RedisServer, redisServerBinary } from './redisServer';

export interface QueueOptions {
	workers?: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`). */
	workerConcurrency?: number;
	/** More settings for every process. */
	settings?: NodeJS.ProcessEnv;
}

/**
 * Real n8n in queue mode on one machine (the recipe in ../shared/N8N-QUEUE.md): its own Redis
 * (Bull jobs, cache, pub/sub) and a throwaway Postgres, one main process, one webhook processor
 * and workers, each in its own user folder with this package installed, one encryption key,
 * every listener (HTTP, task broker) on its own free loopback port.
 */
export class N8nQueue {
	readonly redis: RedisServer;
	readonly postgres = new Postgres();
	readonly main: N8nServer;
	readonly webhook: N8nServer;
	readonly workers: N8nServer[];
	private readonly shared: NodeJS.ProcessEnv = {};

	constructor(
		readonly install: N8nInstall,
		tarball: string,
		options: QueueOptions = {},
	) {
		const binary = redisServerBinary();
		if (!binary) throw new Error('queue mode needs redis-server: bash scripts/ensure-redis.sh');
		this.redis = new RedisServer(binary);
		const shared = this.shared;
		const concurrency = options.workerConcurrency ?? 1;
		this.main = new N8nServer(install, tarball, shared, 'start');
		this.webhook = new N8nServer(install, tarball, shared, 'webhook');
		this.workers = Array.from({ length: options.workers ?? 2 }, () => new N8nServer(install, tarball, shared, 'worker', [`--concurrency=${concurrency}`]));
		Object.assign(shared, options.settings);
	}

	get processes(): N8nServer[] {
		return [this.main, this.webhook, ...this.workers];
	}

	/** Starts Redis and Postgres, imports and publishes, then main, then the others together. */
	async start(credentials: ImportedCredential[], workflows: object[]): Promise<void> {
		await this.redis.start();
		await this.postgres.start();
		Object.assign(this.shared, {
			...this.postgres.n8nSettings,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redis.port),
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			// Main runs nothing itself: every execution, manual ones included, goes to a worker.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			// Keep finished Bull jobs: with 0, a job finishing before its enqueuer waits for it is
			// never seen as finished there (N8N-QUEUE.md, pitfalls), and shutdown then hangs.
			N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
			N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000',
			...this.shared,
		});
		this.main.importAndActivate(credentials, workflows);
		await this.main.start();
		await Promise.all([this.webhook, ...this.workers].map(async (process) => await process.start()));
	}

	/** Stops every process it started (by pid), then Redis and Postgres. */
	async stop(): Promise<void> {
		await Promise.all([this.webhook, ...this.workers].map(async (process) => await process.stop()));
		await this.main.stop();
		await this.redis.dispose();
		await this.postgres.stop();
	}

	/** Which worker's log says it finished execution `id` (index), or -1. */
	workerOf(executionId: string): number {
		return this.workers.findIndex((worker) => worker.log.includes(`Worker finished execution ${executionId} `));
	}

	logTail(): string {
		return this.processes.map((process) => `--- ${process.role} (pid ${process.pid ?? '-'}) ---\n${process.logTail()}`).join('\n');
	}
}
