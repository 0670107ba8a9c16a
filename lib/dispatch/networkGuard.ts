import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';

/** Loopback, private, carrier-grade NAT, link-local (cloud metadata lives there) and unspecified ranges. */
const blocked = new BlockList();
for (const [network, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
] as const) {
	blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
	['::', 128],
	['::1', 128],
	['fc00::', 7],
	['fe80::', 10],
] as const) {
	blocked.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 4) return blocked.check(address, 'ipv4');
	if (family === 6) {
		// IPv4-mapped IPv6 (::ffff:127.0.0.1) is the IPv4 address in disguise.
		const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
		if (mapped) return blocked.check(mapped[1], 'ipv4');
		return blocked.check(address, 'ipv6');
	}
	return true;
}

export class BlockedAddressError extends Error {
	readonly code = 'BLOCKED_ADDRESS';
	constructor(host: string, address: string) {
		super(`${host} resolves to ${address}, a loopback, private, link-local or metadata address, which Block Private Networks refuses`);
		this.name = 'BlockedAddressError';
	}
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets that resolves the name and refuses the connection when any address is
 * private. Checking at connect time, not before, closes the gap a DNS answer that changes
 * between check and use would open.
 */
export function guardedLookup(hostname: string, options: object, callback: LookupCallback): void {
	dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
		if (error) return callback(error, []);
		const list = addresses as LookupAddress[];
		const bad = list.find((entry) => isPrivateAddress(entry.address));
		if (bad) return callback(new BlockedAddressError(hostname, bad.address) as NodeJS.ErrnoException, []);
		if ((options as { all?: boolean }).all) return callback(null, list);
		return callback(null, list[0].address, list[0].family);
	});
}

/** IP literals skip DNS (and so the lookup), so they are checked from the URL itself. */
export function checkLiteralHost(url: URL): void {
	const host = url.hostname.replace(/^\[|\]$/g, '');
	if (isIP(host) && isPrivateAddress(host)) throw new BlockedAddressError(url.hostname, host);
}

let guarded: Agent | undefined;

/** Connections whose every address is checked at connect time; shared keep-alive pool. */
export function guardedDispatcher(): Agent {
	guarded ??= new Agent({ keepAliveTimeout: 30_000, connections: 16, connect: { lookup: guardedLookup as never } });
	return guarded;
}
