import { Socket } from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Records every outgoing TCP connection and stops any to a non-loopback address before it
 * leaves the machine, so a guard under test that lets something through cannot send anywhere.
 */
export function installTripwire(): { attempts: string[]; restore(): void } {
	const attempts: string[] = [];
	const original = Socket.prototype.connect;
	const spy = jest.spyOn(Socket.prototype, 'connect').mockImplementation(function (this: Socket, ...args: unknown[]) {
		const options = (typeof args[0] === 'object' ? args[0] : { port: args[0], host: args[1] }) as { host?: string; port?: number };
		const host = options.host ?? 'localhost';
		attempts.push(`${host}:${options.port}`);
		if (!LOOPBACK.has(host)) {
			process.nextTick(() => this.destroy(new Error(`tripwire: refused a connection to ${host}`)));
			return this;
		}
		return (original as (...a: unknown[]) => Socket).apply(this, args);
	});
	return { attempts, restore: () => spy.mockRestore() };
}
