/**
 * `npm run dev`: the contributor's loop. Builds in watch mode (tsc -w), runs a local n8n (the
 * cached install the demo uses) with this working tree linked in as its community package,
 * restarts n8n whenever a build finishes without errors, and prints the editor's address and
 * login. Needs no network once n8n is in the cache. Ctrl-C stops tsc and n8n.
 * DEV_PORT (5678) and DEV_N8N_VERSION (tools/n8nVersions.ts) choose the port and the n8n. The
 * n8n user folder (the owner account, workflows, credentials) lasts from one run to the next:
 * one per checkout, in the n8n cache folder.
 * Icons and codex files are copied once at start; restart `npm run dev` after changing those.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { Cleanups } from '../tools/cleanups';
import { installN8n, N8nServer, OWNER } from '../tools/n8nServer';
import { N8N_2 } from '../tools/n8nVersions';
import { stopChild } from '../tools/stopChild';

const ROOT = resolve(__dirname, '..');
const N8N_VERSION = process.env.DEV_N8N_VERSION ?? N8N_2;
/** How tsc's watch mode ends each build: "Found 0 errors. Watching for file changes." */
const BUILD_FINISHED = /Found (\d+) errors?\. Watching for file changes\./;
const say = (text: string) => console.log(`\n▶ ${text}`);
const cleanups = new Cleanups();
let stopping = false;

/** Runs `serve` after a build; builds that finish while it runs lead to one more run, not one each. */
function coalescing(serve: () => Promise<void>): () => void {
	let running = false;
	let again = false;
	return () => {
		if (running) {
			again = true;
			return;
		}
		running = true;
		void (async () => {
			do {
				again = false;
				await serve();
			} while (again);
			running = false;
		})();
	};
}

async function main() {
	say(`Installing n8n ${N8N_VERSION} and its Node into the cache (first run only: a few minutes)…`);
	const install = installN8n(N8N_VERSION);
	const checkout = createHash('sha256').update(ROOT).digest('hex').slice(0, 12);
	const userFolder = join(dirname(install.n8nDir), 'dev', `${checkout}-n8n-${N8N_VERSION}`);
	const n8n = new N8nServer(install, { packageDir: ROOT, userFolder });
	n8n.port = Number(process.env.DEV_PORT ?? 5678);

	const serveBuild = coalescing(async () => {
		const restarting = n8n.pid !== undefined;
		say(restarting ? 'Build finished: restarting n8n…' : `Build finished: starting n8n ${N8N_VERSION}…`);
		try {
			if (restarting) await n8n.restart();
			else await n8n.start();
			await n8n.login();
			say(`n8n ${N8N_VERSION} serves this working tree at ${n8n.baseUrl}  (log in as ${OWNER.email} / ${OWNER.password})`);
			console.log(`   n8n's log: ${join(userFolder, 'n8n.log')}. Save a file to rebuild; Ctrl-C stops everything.`);
		} catch (error) {
			if (stopping) return;
			say(`n8n did not start: ${(error as Error).message.split('\n')[0]}\n   Its log: ${join(userFolder, 'n8n.log')}. Fix the code and save to try again.`);
		}
	});

	say('Copying icons and codex files into dist/, then building in watch mode (tsc -w)…');
	execFileSync(join(ROOT, 'node_modules', '.bin', 'gulp'), ['build:icons'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	const tsc = spawn(join(ROOT, 'node_modules', '.bin', 'tsc'), ['--watch', '--preserveWatchOutput', '-p', 'tsconfig.build.json'], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	cleanups.add(() => stopChild(tsc, 5000));
	cleanups.add(() => n8n.stop());
	let pending = '';
	tsc.stdout!.on('data', (chunk: Buffer) => {
		process.stdout.write(chunk);
		const lines = (pending + chunk.toString()).split('\n');
		pending = lines.pop()!;
		for (const line of lines) {
			const finished = BUILD_FINISHED.exec(line);
			if (!finished) continue;
			if (finished[1] === '0') serveBuild();
			else
				say(
					n8n.pid === undefined
						? 'The build has errors: n8n starts after the first build without errors.'
						: 'The build has errors: n8n keeps serving the last build without errors.',
				);
		}
	});
	tsc.once('exit', (code) => {
		if (code !== null) void cleanups.failed(new Error(`tsc --watch exited with status ${code}`));
	});
	cleanups.stopOnSignals(() => {
		stopping = true;
		say('Stopping n8n and tsc…');
	});
}

main().catch((error: unknown) => cleanups.failed(error));
