import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './n8nServer';
import { stopChild } from './stopChild';

/** The redis-server binary: REDIS_SERVER, or the one on PATH; undefined when there is none. */
export function redisServerBinary(): string | undefined {
	if (process.env.REDIS_SERVER) return process.env.REDIS_SERVER;
	try {
		return execFileSync('bash', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

async function answersPing(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.setTimeout(500);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH'));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

/**
 * A throwaway redis-server on a free loopback port, in a temp folder, no persistence. `stop` and
 * `start` again keep the port (a Redis outage and its return); data does not survive a stop.
 */
export class RedisServer {
	readonly dir = mkdtempSync(join(tmpdir(), 'redis-'));
	port = 0;
	private child?: ChildProcess;
	log = '';

	constructor(
		private readonly binary: string,
		private readonly password?: string,
	) {}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	async start(): Promise<void> {
		if (!this.port) this.port = await freePort();
		const args = ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no', '--dir', this.dir, '--logfile', ''];
		if (this.password) args.push('--requirepass', this.password);
		const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		this.child = child;
		child.stdout!.on('data', (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-4000)));
		child.stderr!.on('data', (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-4000)));
		const deadline = Date.now() + 10_000;
		while (!(await answersPing(this.port))) {
			if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on 127.0.0.1:${this.port}:\n${this.log}`);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	/** Stops this server (by its pid) and waits until it has exited. */
	async stop(): Promise<void> {
		if (!this.child) return;
		await stopChild(this.child, 5000);
		this.child = undefined;
	}

	async dispose(): Promise<void> {
		await this.stop();
		rmSync(this.dir, { recursive: true, force: true });
	}
}
