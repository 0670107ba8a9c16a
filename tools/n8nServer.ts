import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stopChild } from './stopChild';
import { until } from './until';

const ROOT = resolve(__dirname, '..');

export interface N8nInstall {
	version: string;
	n8nDir: string;
	nodeBin: string;
	major: number;
}

/** Installs (once, cached outside the repository) n8n and the Node it needs. */
export function installN8n(version: string): N8nInstall {
	const output = execFileSync('bash', [join(ROOT, 'scripts', 'install-n8n.sh'), version], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		timeout: 60 * 60_000,
	});
	const [n8nDir, nodePackage] = output.trim().split('\n').pop()!.split(' ');
	return { version, n8nDir, nodeBin: join(nodePackage, 'bin', 'node'), major: Number(version.split('.')[0]) };
}

/** Packs this package as npm would publish it (build first). */
export function packPackage(): string {
	const destination = mkdtempSync(join(tmpdir(), 'pack-'));
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
	return join(destination, name);
}

export async function freePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolvePort(port));
		});
	});
}

export interface ImportedCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/**
 * Installs the packed package as a community package into `<userFolder>/.n8n/nodes`, as a user
 * would; every n8n process needs it in its own user folder.
 */
const installedFor = new Map<string, string>();

export function installPackageInto(userFolder: string, tarball: string): void {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	// The same tarball again (the processes of one queue-mode n8n): a copy of the first install.
	const installed = installedFor.get(tarball);
	if (installed) {
		cpSync(installed, nodesDir, { recursive: true, verbatimSymlinks: true });
		return;
	}
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
	// Peer n8n-workflow comes from n8n itself; undici, zod and ioredis come along as dependencies.
	execFileSync('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', '--ignore-scripts', tarball], { cwd: nodesDir, stdio: 'ignore' });
	installedFor.set(tarball, nodesDir);
}

/**
 * A package folder (this working tree) linked, not packed, into a user folder that outlives one
 * run: what `npm run dev` serves. n8n loads it from `<userFolder>/.n8n/nodes/node_modules` as it
 * loads an installed community package, so node type names are the published ones.
 */
export interface LinkedPackage {
	packageDir: string;
	userFolder: string;
}

function linkPackageInto({ packageDir, userFolder }: LinkedPackage): void {
	const { name } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string };
	const nodeModules = join(userFolder, '.n8n', 'nodes', 'node_modules');
	mkdirSync(nodeModules, { recursive: true });
	// A link left by an earlier run may point at another checkout: replace it (the link, not its target).
	rmSync(join(nodeModules, name), { recursive: true, force: true });
	symlinkSync(resolve(packageDir), join(nodeModules, name), 'dir');
}

/**
 * What an n8n process is: `start` (main: editor, REST, webhooks), and in queue mode `worker`
 * (runs executions) and `webhook` (a webhook processor), with the log line that says it is ready.
 */
export type N8nRole = 'start' | 'worker' | 'webhook';
const READY: Record<N8nRole, string> = {
	start: 'Editor is now accessible',
	worker: 'n8n worker is now ready',
	webhook: 'Webhook listener waiting for requests',
};

export const OWNER = { email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'E2e-Passw0rd!' };

/** One real n8n server with this package installed as a community package. */
export class N8nServer {
	readonly userFolder: string;
	private child?: ChildProcess;
	private cookie = '';
	port = 0;
	/** The task broker (Code node runners) listens too: its own port, so servers can coexist. */
	private brokerPort = 0;
	log = '';

	constructor(
		readonly install: N8nInstall,
		/** The packed package to install into a new user folder, or a package folder to link. */
		packageToLoad: string | LinkedPackage,
		/** Settings of the instance under test, e.g. N8N_SSRF_PROTECTION_ENABLED. */
		private readonly settings: NodeJS.ProcessEnv = {},
		/** The n8n command: main by default; a worker or webhook processor in queue mode (tools/n8nQueue.ts). */
		readonly role: N8nRole = 'start',
		private readonly roleArgs: string[] = [],
	) {
		if (typeof packageToLoad === 'string') {
			this.userFolder = mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
			installPackageInto(this.userFolder, packageToLoad);
		} else {
			this.userFolder = packageToLoad.userFolder;
			linkPackageInto(packageToLoad);
		}
	}

	/** The n8n process id while it runs (the benchmark reads its CPU time and memory). */
	get pid(): number | undefined {
		return this.child?.pid;
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	private env(): NodeJS.ProcessEnv {
		return {
			PATH: `${resolve(this.install.nodeBin, '..')}:${process.env.PATH ?? ''}`,
			HOME: this.userFolder,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			...(this.brokerPort ? { N8N_RUNNERS_BROKER_PORT: String(this.brokerPort) } : {}),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			WEBHOOK_URL: `http://127.0.0.1:${this.port}/`,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_RUNNERS_ENABLED: 'false',
			DB_SQLITE_POOL_SIZE: '2',
			N8N_LOG_LEVEL: process.env.E2E_N8N_LOG_LEVEL ?? 'info',
			...this.settings,
		};
	}

	private cli(...args: string[]): string {
		return execFileSync(this.install.nodeBin, [join(this.install.n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'), ...args], {
			env: this.env(),
			encoding: 'utf8',
			timeout: 180_000,
		});
	}

	/** Imports workflows without activating them, while n8n is stopped. */
	importWorkflows(workflows: object[]): void {
		const workflowsFile = join(this.userFolder, 'workflows.json');
		writeFileSync(workflowsFile, JSON.stringify(workflows));
		this.cli('import:workflow', `--input=${workflowsFile}`);
	}

	/** Imports credentials and workflows and makes the workflows active, while n8n is stopped. */
	importAndActivate(credentials: ImportedCredential[], workflows: object[]): void {
		const credentialsFile = join(this.userFolder, 'credentials.json');
		writeFileSync(credentialsFile, JSON.stringify(credentials));
		this.cli('import:credentials', `--input=${credentialsFile}`);
		this.importWorkflows(workflows);
		for (const { id } of workflows as Array<{ id: string }>) {
			if (this.install.major >= 2) this.cli('publish:workflow', `--id=${id}`);
			else this.cli('update:workflow', `--id=${id}`, '--active=true');
		}
	}

	/**
	 * Starts the process and, for a main process, sets up the owner account at once, before
	 * any execution can run (`setUpOwner: false` leaves that to a test that does it in the editor).
	 */
	async start({ setUpOwner = true }: { setUpOwner?: boolean } = {}): Promise<void> {
		await this.spawnUntilReady();
		if (setUpOwner && this.role === 'start') await this.setUpOwner();
	}

	private async spawnUntilReady(): Promise<void> {
		if (!this.port) this.port = await freePort();
		if (!this.brokerPort) this.brokerPort = await freePort();
		const logFile = createWriteStream(join(this.userFolder, 'n8n.log'), { flags: 'a' });
		const child = spawn(this.install.nodeBin, [join(this.install.n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'), this.role, ...this.roleArgs], {
			env: this.env(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child = child;
		await new Promise<void>((ready, fail) => {
			const timer = setTimeout(() => fail(new Error(`n8n ${this.install.version} did not start within 180 s:\n${this.log.slice(-3000)}`)), 180_000);
			const onData = (chunk: Buffer) => {
				const text = chunk.toString();
				this.log += text;
				logFile.write(text);
				if (this.log.includes(READY[this.role])) {
					clearTimeout(timer);
					ready();
				}
			};
			child.stdout!.on('data', onData);
			child.stderr!.on('data', onData);
			child.once('exit', (code) => {
				clearTimeout(timer);
				fail(new Error(`n8n ${this.install.version} exited with ${code}:\n${this.log.slice(-3000)}`));
			});
		});
	}

	async stop(): Promise<void> {
		if (!this.child) return;
		await stopChild(this.child, 20_000);
		this.child = undefined;
	}

	async restart(): Promise<void> {
		await this.stop();
		this.log = '';
		await this.start();
		this.cookie = '';
	}

	/**
	 * n8n 1.x saves the whole owner row when the first production execution succeeds; an
	 * execution that read the row before the setup wrote it erases the email and password
	 * again (seen on a loaded machine: every login then answers 401). So the owner is set up
	 * right after start, before a webhook can be called, and only once.
	 */
	private async setUpOwner(): Promise<void> {
		await this.postUntil('the owner account to be set up', 'owner/setup', OWNER, (response, text) => response.ok || text.includes('already setup'));
	}

	/** Logs in as the owner; the REST API needs a session. */
	async login(): Promise<void> {
		if (this.cookie) return;
		const credentials = { emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password };
		this.cookie = await this.postUntil(
			'the owner to log in',
			'login',
			credentials,
			(response) =>
				response.ok &&
				response.headers
					.getSetCookie()
					.map((c) => c.split(';')[0])
					.join('; '),
		);
	}

	/**
	 * Posts `body` to `/rest/<path>` once a second until `accepted` gives a value, for up to a
	 * minute; n8n's last answers are kept for the error.
	 */
	private async postUntil<T>(what: string, path: string, body: object, accepted: (response: Response, text: string) => T | false): Promise<T> {
		const answers: string[] = [];
		const attempt = async () => {
			const response = await fetch(`${this.baseUrl}/rest/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			const text = await response.text();
			answers.push(`${path}: ${response.status} ${text.slice(0, 200)}`);
			return accepted(response, text);
		};
		return await until(what, attempt, 60_000, 1000).catch((error: Error) => {
			throw new Error(`${error.message}; n8n answered:\n${answers.slice(-3).join('\n')}`);
		});
	}

	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		await this.login();
		const response = await fetch(`${this.baseUrl}/rest${path}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json', 'browser-id': 'e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${path} failed: ${response.status} ${text.slice(0, 500)}`);
		return (JSON.parse(text) as { data: T }).data;
	}

	/**
	 * Every execution of a workflow, newest first. Read in pages of 100 (n8n 2.41 refuses a
	 * larger `limit`; without one it answers only the newest few), each after the last id seen.
	 */
	async executions(workflowId: string): Promise<Array<{ id: string; status: string }>> {
		const PAGE = 100;
		const all: Array<{ id: string; status: string }> = [];
		for (;;) {
			const after = all.length > 0 ? `&lastId=${all[all.length - 1].id}` : '';
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const page = await this.rest<{ results: Array<{ id: string; status: string }> }>('GET', `/executions?limit=${PAGE}${after}&filter=${filter}`);
			all.push(...page.results);
			if (page.results.length < PAGE) return all;
		}
	}

	async execution(id: string): Promise<{ status: string; data: unknown }> {
		return await this.rest('GET', `/executions/${id}`);
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.rest('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	async activate(workflowId: string): Promise<void> {
		const { versionId } = await this.rest<{ versionId: string }>('GET', `/workflows/${workflowId}`);
		await this.rest('POST', `/workflows/${workflowId}/activate`, { versionId });
	}

	/** n8n activates workflows after the editor is up: waits until a webhook is registered. */
	async waitForWebhook(url: string, timeoutMs = 120_000): Promise<void> {
		const registered = async () => {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			await response.text();
			return response.status !== 404;
		};
		await until(`${url} to be registered`, registered, timeoutMs, 500).catch((error: Error) => {
			throw new Error(`${error.message}:\n${this.logTail()}`);
		});
	}

	webhookUrl(webhookId: string, path = 'test-run'): string {
		return `${this.baseUrl}/webhook/${webhookId}/${path}`;
	}

	logTail(): string {
		try {
			return readFileSync(join(this.userFolder, 'n8n.log'), 'utf8').slice(-4000);
		} catch {
			return this.log.slice(-4000);
		}
	}
}
