import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/**
 * Live processes in a process group: a script started detached leads its own group, and its
 * children stay in it unless they leave it. Zombies (exited, waiting to be reaped) do not count:
 * they no longer run.
 */
export function processesInGroup(group: number): string[] {
	const left: string[] = [];
	for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		try {
			// Fields after the parenthesised command name: state, ppid, pgrp, …
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(pgrp) === group && state !== 'Z')
				left.push(
					`${pid} ${state} ${stat.slice(stat.indexOf('('), stat.lastIndexOf(')') + 1)} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`,
				);
		} catch {
			// The process ended while we looked.
		}
	}
	return left;
}

/** Whether something listens on the loopback port. */
export const acceptsConnections = (port: number) =>
	new Promise<boolean>((answer) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			answer(true);
		});
		socket.once('error', () => answer(false));
	});
