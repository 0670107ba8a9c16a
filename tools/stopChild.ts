import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child this process started (by its pid): SIGTERM, then SIGKILL if it has not exited
 * after `graceMs`; resolves once it has exited. A child that already exited is left alone.
 */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((done) => child.once('exit', () => done()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}
