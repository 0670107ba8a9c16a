import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { EgressPolicy } from '../http/transport';

/**
 * Loopback, private, carrier-grade NAT, link-local (cloud metadata lives there), benchmarking,
 * IETF protocol assignments, multicast, reserved and unspecified ranges. Classified with Node's
 * own `net.BlockList`: no dependency needed for prefix matching.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['224.0.0.0', 4],
	['240.0.0.0', 4],
] as const) {
	blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
	['::', 128],
	['::1', 128],
	['fc00::', 7],
	['fe80::', 10],
	['fec0::', 10],
	['ff00::', 8],
	// Local-use NAT64 (RFC 8215): what it translates to is the operator's choice.
	['64:ff9b:1::', 48],
] as const) {
	blocked.addSubnet(network, prefix, 'ipv6');
}

/** An IPv6 address as its eight 16-bit groups; a trailing dotted quad counts as two groups. */
function ipv6Groups(address: string): number[] {
	let text = address.toLowerCase();
	const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
	if (dotted) {
		const [a, b, c, d] = dotted.slice(1).map(Number);
		text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.split('::');
	const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
	const start = parse(head);
	const end = parse(tail);
	return tail === undefined ? start : [...start, ...new Array<number>(8 - start.length - end.length).fill(0), ...end];
}

const dottedQuad = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/**
 * The IPv4 address an IPv6 address carries, for the forms that reach an IPv4 host:
 * IPv4-compatible (::a.b.c.d), IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d),
 * NAT64 (64:ff9b::/96), 6to4 (2002::/16) and Teredo (2001::/32, client address inverted).
 */
export function embeddedIPv4(address: string): string | undefined {
	const g = ipv6Groups(address);
	const zerosUpTo = (end: number) => g.slice(0, end).every((group) => group === 0);
	if (zerosUpTo(6) && (g[6] !== 0 || g[7] > 1)) return dottedQuad(g[6], g[7]);
	if (zerosUpTo(5) && g[5] === 0xffff) return dottedQuad(g[6], g[7]);
	if (zerosUpTo(4) && g[4] === 0xffff && g[5] === 0) return dottedQuad(g[6], g[7]);
	if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) return dottedQuad(g[6], g[7]);
	if (g[0] === 0x2002) return dottedQuad(g[1], g[2]);
	if (g[0] === 0x2001 && g[1] === 0) return dottedQuad(g[6] ^ 0xffff, g[7] ^ 0xffff);
	return undefined;
}

/** The machine's own addresses, public ones included: a request to them reaches this host. */
function isOwnAddress(address: string): boolean {
	return Object.values(networkInterfaces()).some((entries) => entries?.some((entry) => entry.address === address));
}

export function isPrivateAddress(address: string): boolean {
	const host = address.replace(/%.*$/, '');
	const family = isIP(host);
	if (family === 4) return blocked.check(host, 'ipv4') || isOwnAddress(host);
	if (family === 6) {
		const ipv4 = embeddedIPv4(host);
		if (ipv4 !== undefined) return isPrivateAddress(ipv4);
		return blocked.check(host, 'ipv6') || isOwnAddress(host);
	}
	// Not an address at all: refuse rather than guess.
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
 * A `lookup` that resolves with `resolve` (DNS, or an instance's own secure lookup) and refuses
 * the connection when any address is private. The transport connects to the addresses it
 * returns, so a DNS answer that changes between check and use cannot slip through.
 */
function refusingPrivate(resolve: LookupFunction): LookupFunction {
	return (hostname, options, callback: LookupCallback) => {
		// Refused without asking `resolve`, whichever way it treats IP literals.
		if (isIP(hostname) && isPrivateAddress(hostname)) return callback(new BlockedAddressError(hostname, hostname) as NodeJS.ErrnoException, []);
		resolve(hostname, { ...options, all: true }, (error, addresses) => {
			if (error) return callback(error, []);
			const list = addresses as LookupAddress[];
			const bad = list.find((entry) => isPrivateAddress(entry.address));
			if (bad) return callback(new BlockedAddressError(hostname, bad.address) as NodeJS.ErrnoException, []);
			if (options.all) return callback(null, list);
			return callback(null, list[0].address, list[0].family);
		});
	};
}

const guards = new WeakMap<EgressPolicy, EgressPolicy>();
let guardOverDns: EgressPolicy | undefined;

/**
 * Block Private Networks on top of `base` (an instance's own policy), or over plain DNS. One
 * policy object per base, because the transport keeps a connection pool per policy.
 */
export function privateNetworkGuard(base?: EgressPolicy): EgressPolicy {
	if (!base) return (guardOverDns ??= { lookup: refusingPrivate(dnsLookup as LookupFunction) });
	let guard = guards.get(base);
	if (!guard) {
		guard = { lookup: refusingPrivate(base.lookup) };
		guards.set(base, guard);
	}
	return guard;
}
