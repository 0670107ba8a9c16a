import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { stopChild } from './stopChild';

export interface Arrival {
	method: string;
	url: string;
	/** Epoch ms when the request's first bytes were read. */
	at: number;
	body: string;
}

/**
 * The receiver of tools/arrivalRecorder.mjs in its own process, at a higher priority when the
 * user may raise it (root): arrival times measured there are not bunched by a busy test process.
 */
export class TimingReceiver {
	private child?: ChildProcess;
	url = '';

	async start(): Promise<void> {
		const script = join(__dirname, 'arrivalRecorder.mjs');
		const niced = process.getuid?.() === 0;
		const child = niced
			? spawn('nice', ['-n', '-10', process.execPath, script], { stdio: ['ignore', 'pipe', 'inherit'] })
			: spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
		this.child = child;
		const port = await new Promise<string>((resolve, reject) => {
			child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
			child.once('exit', (code) => reject(new Error(`the timing receiver exited with ${code}`)));
		});
		this.url = `http://127.0.0.1:${port}`;
	}

	async arrivals(): Promise<Arrival[]> {
		const response = await fetch(`${this.url}/__arrivals`);
		return (await response.json()) as Arrival[];
	}

	async close(): Promise<void> {
		if (this.child) await stopChild(this.child, 5000);
	}
}
