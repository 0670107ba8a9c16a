import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { deliver, prepareRequest, type DeliveryPolicy } from '../../../lib/dispatch';
import { startLoopbackServer, type LoopbackServer, type RecordedRequest } from '../../../tools/httpServer';
import { FakeClock } from '../../support/fakeClock';
import { startFakeProxy, type FakeProxy } from '../../support/proxies';

const TX = 'tx-redirect';
const SECRET = { 'X-Api-Key': 'secret-api-key-value' };
let servers: LoopbackServer[] = [];
let proxy: FakeProxy | undefined;
const saved = { ...process.env };
afterEach(async () => {
	process.env = { ...saved };
	await Promise.all(servers.map((server) => server.close()));
	await proxy?.close();
	servers = [];
	proxy = undefined;
});

/** A server answering `status` with Location `to(request)` for every request, or 200 without `to`. */
async function server(status = 200, to?: (request: RecordedRequest) => string): Promise<LoopbackServer> {
	const started = await startLoopbackServer((request, res) => {
		res.writeHead(to ? status : 200, to ? { location: to(request) } : { 'content-type': 'application/json' });
		res.end(to ? '' : '{"final": true}');
	});
	servers.push(started);
	return started;
}

const post = (rootUrl: string) =>
	prepareRequest(
		{
			method: 'POST',
			rootUrl,
			path: '/start',
			query: [],
			inheritedHeaders: { 'X-Team': 'qa' },
			secretHeaders: SECRET,
			nodeHeaders: [{ name: 'Authorization', value: 'Bearer token-value-123' }],
			excludeInheritedHeaders: [],
			bodyContentType: 'json',
			body: '{"id": "${ WebhookRequest.TransactionalId }"}',
			signed: true,
		},
		{},
		TX,
	);
const follow = (maxRedirects = 21): Partial<DeliveryPolicy> => ({ redirects: { maxRedirects, secretHeaderNames: Object.keys(SECRET) } });
const run = (url: string, overrides: Partial<DeliveryPolicy> = {}) =>
	deliver(
		post(url),
		TX,
		{
			maxRetries: 0,
			retryWindowMs: 360_000,
			timeoutMs: 5000,
			blockPrivateNetworks: false,
			signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
			...overrides,
		},
		{ clock: new FakeClock() },
	);

describe('redirects', () => {
	it('are not followed unless asked: the 302 is the answer', async () => {
		const target = await server();
		const first = await server(302, () => `${target.url}/final`);
		const outcome = await run(first.url);
		expect(outcome).toMatchObject({ success: false, statusCode: 302 });
		expect(target.requests).toHaveLength(0);
	});

	it('307 to another origin: same method and body; secret, credential and signature headers stay behind', async () => {
		const target = await server();
		const first = await server(307, () => `${target.url}/final`);
		const outcome = await run(first.url, follow());
		expect(outcome).toMatchObject({ success: true, statusCode: 200, bodyText: '{"final": true}' });
		expect(first.requests[0].headers).toMatchObject({ 'x-api-key': SECRET['X-Api-Key'], authorization: 'Bearer token-value-123', 'webhook-id': TX });
		const [hop] = target.requests;
		expect(hop).toMatchObject({ method: 'POST', url: '/final', body: `{"id": "${TX}"}` });
		expect(hop.headers['x-team']).toBe('qa');
		for (const name of ['x-api-key', 'authorization', 'webhook-id', 'webhook-timestamp', 'webhook-signature']) expect(hop.headers[name]).toBeUndefined();
	});

	it('on the same origin, headers are kept; 303 continues as a GET without body', async () => {
		const same = await startLoopbackServer((request, res) => {
			if (request.url === '/start') return void res.writeHead(303, { location: '/next' }).end();
			res.end('{}');
		});
		servers.push(same);
		expect((await run(same.url, follow())).success).toBe(true);
		const hop = same.requests[1];
		expect(hop).toMatchObject({ method: 'GET', url: '/next', body: '' });
		expect(hop.headers).toMatchObject({ 'x-api-key': SECRET['X-Api-Key'], authorization: 'Bearer token-value-123' });
		expect(hop.headers['content-type']).toBeUndefined();
	});

	it('a 302 after a POST continues as a GET', async () => {
		const target = await server();
		const first = await server(302, () => `${target.url}/final`);
		await run(first.url, follow());
		expect(target.requests[0]).toMatchObject({ method: 'GET', body: '' });
	});

	it('stop after maxRedirects: the last redirect is the answer', async () => {
		const loop = await startLoopbackServer((request, res) => void res.writeHead(302, { location: `/hop${request.url.length}` }).end());
		servers.push(loop);
		const outcome = await run(loop.url, follow(2));
		expect(outcome).toMatchObject({ success: false, statusCode: 302 });
		expect(loop.requests).toHaveLength(3);
	});

	it('every hop is judged by Block Private Networks before it is sent', async () => {
		const internal = await server();
		const entry = await server(302, () => `${internal.url}/admin`);
		proxy = await startFakeProxy({ kind: 'tunnel', tunnelTo: Number(new URL(entry.url).port) });
		process.env.HTTP_PROXY = proxy.url;
		process.env.NO_PROXY = '';
		// A public name (for the guard) whose tunnel the proxy takes to the redirecting server.
		const lookup = ((hostname: string, _options: object, callback: (error: Error | null, addresses: LookupAddress[]) => void) =>
			callback(null, [{ address: isIP(hostname) ? hostname : '93.184.215.14', family: 4 }])) as unknown as LookupFunction;
		const outcome = await run('http://public.test', { ...follow(), blockPrivateNetworks: true, instanceEgress: { lookup } });
		expect(outcome.error).toMatchObject({ kind: 'blocked', message: expect.stringMatching(/127\.0\.0\.1/) });
		expect(entry.requests).toHaveLength(1);
		expect(internal.requests).toHaveLength(0);
		expect(proxy.tunnels).toEqual(['public.test:80']);
	});
});

describe('redirects that lead nowhere, and the time a chain may take (issue 24 item 7)', () => {
	it.each(['http://[bad', 'http://exa mple.com/x', 'http://%zz/', 'https://:80/', '   ', ''])(
		'a Location %j that is not a usable URL: the redirect is the answer (kind http), sent once, never retried',
		async (location) => {
			const first = await server(307, () => location);
			const outcome = await run(first.url, { ...follow(), maxRetries: 3 });
			expect(outcome).toMatchObject({ success: false, statusCode: 307, error: { kind: 'http', message: expect.stringMatching(/^The receiver answered 307/) } });
			expect(outcome.attempts).toHaveLength(1);
			expect(first.requests).toHaveLength(1);
		},
	);

	it('the timeout bounds the whole chain: three hops of 400 ms each exceed a 1 s timeout that each hop alone fits in', async () => {
		const slow = await startLoopbackServer(async (request, res) => {
			await new Promise((resolve) => setTimeout(resolve, 400));
			const hop = Number(/\/hop(\d)/.exec(request.url)?.[1] ?? 0);
			if (hop < 2) res.writeHead(307, { location: `/hop${hop + 1}` }).end();
			else res.end('{}');
		});
		servers.push(slow);
		const outcome = await run(slow.url, { ...follow(), timeoutMs: 1000 });
		expect(outcome.error?.kind).toBe('timeout');
		// Per hop, each would have fit: the chain was followed, then abandoned before its end.
		expect(slow.requests.map((request) => request.url).slice(0, 2)).toEqual(['/start', '/hop1']);
	});
});
