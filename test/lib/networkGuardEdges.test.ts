import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import os from 'node:os';
import { embeddedIPv4, isPrivateAddress, privateNetworkGuard } from '../../lib/dispatch';

// lib/dispatch/networkGuard.ts: IPv6 forms at their edges, zone ids, the host's addresses, and the guard's lookup.

describe('embeddedIPv4 at the edges of each form', () => {
	it('a trailing dotted quad with multi-digit parts is read whole', () => {
		expect(embeddedIPv4('::ffff:192.168.100.200')).toBe('192.168.100.200');
		expect(embeddedIPv4('64:ff9b::203.0.113.10')).toBe('203.0.113.10');
	});

	it('IPv4-compatible with only the last group set (::5 is 0.0.0.5) still carries an address', () => {
		expect(embeddedIPv4('::5')).toBe('0.0.0.5');
		expect(isPrivateAddress('::5')).toBe(true);
	});

	it('::ffff:<nonzero>:a.b.c.d is not IPv4-translated', () => {
		expect(embeddedIPv4('::ffff:1:7f00:1')).toBeUndefined();
	});

	it('NAT64 needs both 64 and ff9b, and zeros between', () => {
		expect(embeddedIPv4('64:ff9c::7f00:1')).toBeUndefined();
		expect(embeddedIPv4('65:ff9b::7f00:1')).toBeUndefined();
	});

	it('Teredo needs 2001:0000', () => {
		expect(embeddedIPv4('2001:1:4136:e378:8000:63bf:3f57:fefe')).toBeUndefined();
	});
});

describe('isPrivateAddress with a zone id', () => {
	it('a public IPv6 address with a zone id is public (the zone is dropped, not read as part of the address)', () => {
		expect(isPrivateAddress('2606:4700::1111%eth0')).toBe(false);
		expect(isPrivateAddress('2606:4700::1111%1')).toBe(false);
		expect(isPrivateAddress('::ffff:8.8.8.8%eth0')).toBe(false);
	});
});

describe("the host's own addresses", () => {
	it('one interface holding the address is enough; an interface without entries is skipped', () => {
		const spy = jest.spyOn(os, 'networkInterfaces').mockReturnValue({
			lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: '127.0.0.1/8' }],
			tun0: undefined,
			eth0: [{ address: '203.0.113.7', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: '203.0.113.7/24' }],
		});
		try {
			expect(isPrivateAddress('203.0.113.7')).toBe(true);
			expect(isPrivateAddress('203.0.113.9')).toBe(false);
		} finally {
			spy.mockRestore();
		}
	});
});

type Answer = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

/** A base policy whose resolver answers `addresses` (or `error`) and records what it was asked. */
function base(addresses: LookupAddress[], error: NodeJS.ErrnoException | null = null) {
	const asked: Array<{ hostname: string; options: object }> = [];
	const lookup = ((hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => {
		asked.push({ hostname, options });
		callback(error, error ? [] : addresses);
	}) as unknown as LookupFunction;
	return { policy: { lookup }, asked };
}

function lookUp(lookup: LookupFunction, hostname: string, options: object): Promise<Answer> {
	return new Promise((resolve) => {
		(lookup as unknown as (h: string, o: object, cb: (e: NodeJS.ErrnoException | null, a: string | LookupAddress[], f?: number) => void) => void)(
			hostname,
			options,
			(error, address, family) => resolve({ error, address, family }),
		);
	});
}

describe('the guard lookup', () => {
	const PUBLIC: LookupAddress[] = [
		{ address: '203.0.113.10', family: 4 },
		{ address: '2001:db8::10', family: 6 },
	];

	it('a private IP literal is refused without asking the resolver', async () => {
		const { policy, asked } = base(PUBLIC);
		const answer = await lookUp(privateNetworkGuard(policy).lookup, '10.0.0.1', {});
		expect(answer.error).toMatchObject({ name: 'BlockedAddressError', code: 'BLOCKED_ADDRESS' });
		expect(answer.error?.message).toBe('10.0.0.1 resolves to 10.0.0.1, a loopback, private, link-local or metadata address, which Block Private Networks refuses');
		expect(answer.address).toEqual([]);
		expect(asked).toEqual([]);
	});

	it('a name is resolved with every address asked for; all of them given when the caller asks for all', async () => {
		const { policy, asked } = base(PUBLIC);
		const answer = await lookUp(privateNetworkGuard(policy).lookup, 'hooks.example.test', { all: true });
		expect(answer).toEqual({ error: null, address: PUBLIC, family: undefined });
		expect(asked).toEqual([{ hostname: 'hooks.example.test', options: { all: true } }]);
	});

	it('otherwise the first address and its family', async () => {
		const { policy, asked } = base(PUBLIC);
		const answer = await lookUp(privateNetworkGuard(policy).lookup, 'hooks.example.test', { family: 0 });
		expect(answer).toEqual({ error: null, address: '203.0.113.10', family: 4 });
		expect(asked[0].options).toEqual({ family: 0, all: true });
	});

	it('a resolver error is passed on as it is, with no address', async () => {
		const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
		const { policy } = base([], notFound);
		const answer = await lookUp(privateNetworkGuard(policy).lookup, 'nowhere.test', {});
		expect(answer.error).toBe(notFound);
		expect(answer.address).toEqual([]);
	});

	it('a name with a private address among public ones is refused, naming that address, with no address given', async () => {
		const { policy } = base([...PUBLIC, { address: '169.254.169.254', family: 4 }]);
		const answer = await lookUp(privateNetworkGuard(policy).lookup, 'metadata.example.test', { all: true });
		expect(answer.error?.message).toBe(
			'metadata.example.test resolves to 169.254.169.254, a loopback, private, link-local or metadata address, which Block Private Networks refuses',
		);
		expect(answer.address).toEqual([]);
	});
});
