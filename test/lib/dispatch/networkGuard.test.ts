import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import os from 'node:os';
import { deliver, embeddedIPv4, isPrivateAddress, prepareRequest, privateNetworkGuard, type DeliveryPolicy } from '../../../lib/dispatch';
import type { EgressPolicy } from '../../../lib/http/transport';
import { startLoopbackServer, type LoopbackServer } from '../../../tools/httpServer';
import { FakeClock } from '../../support/fakeClock';
import { startFakeProxy, type FakeProxy } from '../../support/proxies';
import { installTripwire } from '../../support/tripwire';

describe('isPrivateAddress', () => {
	it.each([
		'127.0.0.1',
		'127.255.0.9',
		'10.0.0.1',
		'10.255.255.255',
		'172.16.0.1',
		'172.31.255.1',
		'192.168.1.1',
		'169.254.169.254',
		'169.254.0.1',
		'100.64.0.1',
		'0.0.0.0',
		'198.18.0.1',
		'192.0.0.1',
		'224.0.0.1',
		'255.255.255.255',
		'::',
		'::1',
		'fc00::1',
		'fd12::1',
		'fe80::1',
		'fe80::1%eth0',
		'fec0::1',
		'ff02::1',
		'64:ff9b:1::a00:1',
		// IPv4 inside IPv6
		'::7f00:1',
		'::127.0.0.1',
		'::a00:1',
		'::ffff:127.0.0.1',
		'::ffff:7f00:1',
		'::ffff:a9fe:a9fe',
		'::ffff:0:7f00:1',
		'64:ff9b::7f00:1',
		'64:ff9b::10.0.0.1',
		'64:ff9b::a9fe:a9fe',
		'2002:7f00:1::',
		'2002:a00:1::1',
		'2002:a9fe:a9fe::',
		'2001:0:4136:e378:8000:63bf:80ff:fffe',
		'2001:0:4136:e378:8000:63bf:f5ff:fffe',
		'not an address',
	])('%s is private', (address) => {
		expect(isPrivateAddress(address)).toBe(true);
	});

	it.each([
		'8.8.8.8',
		'1.1.1.1',
		'93.184.215.14',
		'172.32.0.1',
		'172.15.255.255',
		'100.128.0.1',
		'169.253.255.255',
		'192.169.0.1',
		'11.0.0.1',
		'9.255.255.255',
		'198.20.0.1',
		'223.255.255.255',
		'2606:4700::1111',
		'64:ff9b::808:808',
		'2002:808:808::',
		'::ffff:8.8.8.8',
		'::808:808',
		'2001:0:4136:e378:8000:63bf:f7f7:f7f7',
	])('%s is public', (address) => {
		expect(isPrivateAddress(address)).toBe(false);
	});

	it('reads the IPv4 address each IPv6 form carries', () => {
		expect(embeddedIPv4('::7f00:1')).toBe('127.0.0.1');
		expect(embeddedIPv4('::ffff:10.1.2.3')).toBe('10.1.2.3');
		expect(embeddedIPv4('::ffff:0:a9fe:a9fe')).toBe('169.254.169.254');
		expect(embeddedIPv4('64:ff9b::c0a8:101')).toBe('192.168.1.1');
		expect(embeddedIPv4('2002:c0a8:101:5::1')).toBe('192.168.1.1');
		expect(embeddedIPv4('2001:0:4136:e378:8000:63bf:3f57:fefe')).toBe('192.168.1.1');
		expect(embeddedIPv4('::1')).toBeUndefined();
		expect(embeddedIPv4('::')).toBeUndefined();
		expect(embeddedIPv4('2606:4700::1111')).toBeUndefined();
		expect(embeddedIPv4('64:ff9b:0:0:1::1')).toBeUndefined();
	});

	it("the host's own addresses are private, public ones included", () => {
		const spy = jest.spyOn(os, 'networkInterfaces').mockReturnValue({
			eth0: [
				{ address: '203.0.113.7', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: '203.0.113.7/24' },
				{
					address: '2001:db8::7',
					family: 'IPv6',
					internal: false,
					netmask: 'ffff:ffff:ffff:ffff::',
					mac: '00:00:00:00:00:00',
					cidr: '2001:db8::7/64',
					scopeid: 0,
				},
			],
		});
		try {
			expect(isPrivateAddress('203.0.113.7')).toBe(true);
			expect(isPrivateAddress('2001:db8::7')).toBe(true);
			expect(isPrivateAddress('203.0.113.8')).toBe(false);
		} finally {
			spy.mockRestore();
		}
	});
});

/** A resolver for made-up names, so no DNS query leaves the machine; IP literals pass through, as with dns.lookup. */
function fakeDns(answers: Record<string, string[]>): EgressPolicy {
	const lookup = ((hostname: string, _options: object, callback: (error: Error | null, addresses: LookupAddress[]) => void) => {
		const addresses = isIP(hostname) ? [hostname] : answers[hostname];
		if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
		callback(
			null,
			addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
		);
	}) as unknown as LookupFunction;
	return { lookup };
}

describe('Block Private Networks refuses before connecting', () => {
	const TX = 'tx-guard';
	const policy = (overrides: Partial<DeliveryPolicy> = {}): DeliveryPolicy => ({
		maxRetries: 3,
		retryWindowMs: 360_000,
		timeoutMs: 2000,
		blockPrivateNetworks: true,
		...overrides,
	});
	const post = (url: string) =>
		prepareRequest(
			{
				method: 'POST',
				rootUrl: url,
				path: '/hook',
				query: [],
				inheritedHeaders: {},
				secretHeaders: {},
				nodeHeaders: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }],
				excludeInheritedHeaders: [],
				bodyContentType: 'json',
				body: '{}',
				signed: false,
			},
			{},
			TX,
		);
	let target: LoopbackServer & { connections: number };
	let proxy: FakeProxy | undefined;
	let tripwire: ReturnType<typeof installTripwire>;
	const saved = { ...process.env };

	beforeEach(async () => {
		const server = await startLoopbackServer((_req, res) => void res.end('reached'));
		target = Object.assign(server, { connections: 0 });
		server.server.on('connection', () => target.connections++);
		tripwire = installTripwire();
	});
	afterEach(async () => {
		tripwire.restore();
		process.env = { ...saved };
		await target.close();
		await proxy?.close();
		proxy = undefined;
	});

	it.each([
		'127.0.0.1',
		'localhost',
		'[::1]',
		'[::7f00:1]',
		'[::ffff:127.0.0.1]',
		'[::ffff:0:7f00:1]',
		'[64:ff9b::7f00:1]',
		'[2002:7f00:1::]',
		'[2001:0:4136:e378:8000:63bf:80ff:fffe]',
	])('http://%s: blocked, never retried, no connection at all', async (host) => {
		const port = new URL(target.url).port;
		const outcome = await deliver(post(`http://${host}:${port}`), TX, policy(), { clock: new FakeClock() });
		expect(outcome).toMatchObject({ success: false, error: { kind: 'blocked', message: expect.stringMatching(/Block Private Networks refuses/) } });
		expect(outcome.attempts).toHaveLength(1);
		expect(tripwire.attempts).toEqual([]);
		expect(target.connections).toBe(0);
	});

	it('a name resolving to any private address among public ones is refused', async () => {
		const dns = fakeDns({ 'mixed.test': ['93.184.215.14', '10.0.0.5'], 'metadata.test': ['169.254.169.254'] });
		for (const name of ['mixed.test', 'metadata.test']) {
			const outcome = await deliver(post(`http://${name}/`), TX, policy({ instanceEgress: dns }), { clock: new FakeClock() });
			expect(outcome.error).toMatchObject({ kind: 'blocked', message: expect.stringContaining(`${name} resolves to`) });
		}
		expect(tripwire.attempts).toEqual([]);
	});

	it('with a proxy: checks the resolved addresses, then still goes through the proxy', async () => {
		proxy = await startFakeProxy({ kind: 'tunnel', tunnelTo: Number(new URL(target.url).port) });
		process.env.HTTP_PROXY = proxy.url;
		process.env.NO_PROXY = '';
		const dns = fakeDns({ 'public.test': ['93.184.215.14'], 'private.test': ['192.168.1.10'] });

		const refused = await deliver(post('http://private.test/'), TX, policy({ instanceEgress: dns }), { clock: new FakeClock() });
		expect(refused.error).toMatchObject({ kind: 'blocked' });
		const literal = await deliver(post(`http://[::ffff:7f00:1]:${new URL(target.url).port}/`), TX, policy({ instanceEgress: dns }), { clock: new FakeClock() });
		expect(literal.error).toMatchObject({ kind: 'blocked' });
		expect(proxy.connections).toBe(0);

		const sent = await deliver(post('http://public.test/'), TX, policy({ instanceEgress: dns }), { clock: new FakeClock() });
		expect(sent).toMatchObject({ success: true, bodyText: 'reached' });
		expect(proxy.tunnels).toEqual(['public.test:80']);
		expect(target.requests).toHaveLength(1);
	});

	it('one guard object per base policy, so connection pools are reused', () => {
		const base = fakeDns({});
		expect(privateNetworkGuard(base)).toBe(privateNetworkGuard(base));
		expect(privateNetworkGuard()).toBe(privateNetworkGuard());
		expect(privateNetworkGuard(base)).not.toBe(privateNetworkGuard());
	});
});

describe('the network guard at its edges', () => {
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
			expect(answer.error?.message).toBe(
				'10.0.0.1 resolves to 10.0.0.1, a loopback, private, link-local or metadata address, which Block Private Networks refuses',
			);
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
});
