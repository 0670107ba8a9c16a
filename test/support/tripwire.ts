import type { LookupAddress } from 'node:dns';
import { isIP, Socket, type LookupFunction } from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

type ConnectTarget = { host?: string; port?: number; lookup?: LookupFunction };

/**
 * Records the address of every outgoing TCP connection about to be made, after any custom
 * lookup resolved it, and stops any to a non-loopback address (or a name left to system DNS)
 * before it leaves the machine: a guard under test that lets something through cannot send
 * anywhere.
 */
export function installTripwire(): { attempts: string[]; restore(): void } {
	const attempts: string[] = [];
	const original = Socket.prototype.connect;
	const refuse = (what: string) => new Error(`tripwire: refused a connection to ${what}`);
	const spy = jest.spyOn(Socket.prototype, 'connect').mockImplementation(function (this: Socket, ...args: unknown[]) {
		// net.connect hands over its normalized arguments as an array.
		const first = Array.isArray(args[0]) ? (args[0][0] as unknown) : args[0];
		const target: ConnectTarget = typeof first === 'object' && first !== null ? (first as ConnectTarget) : { port: first as number, host: args[1] as string };
		const host = target.host ?? 'localhost';
		if (target.lookup && !isIP(host)) {
			const lookup = target.lookup;
			target.lookup = ((hostname, options, callback) =>
				lookup(hostname, options, (error, address, family) => {
					if (error) return callback(error, address, family);
					const addresses = Array.isArray(address) ? (address as LookupAddress[]).map((entry) => entry.address) : [address];
					attempts.push(...addresses.map((entry) => `${entry}:${target.port}`));
					const outside = addresses.find((entry) => !LOOPBACK.has(entry));
					return outside ? callback(refuse(outside), address, family) : callback(null, address, family);
				})) as LookupFunction;
		} else {
			attempts.push(`${host}:${target.port}`);
			if (!LOOPBACK.has(host)) {
				process.nextTick(() => this.destroy(refuse(host)));
				return this;
			}
		}
		return (original as (...a: unknown[]) => Socket).apply(this, args);
	});
	return { attempts, restore: () => spy.mockRestore() };
}
