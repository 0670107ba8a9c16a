import { proxyFor } from '../../../lib/http/proxyEnv';
import { sendHttp } from '../../../lib/http/transport';
import { startLoopbackServer } from '../../../tools/httpServer';
import { startFakeProxy } from '../../support/proxies';

/** The transport reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY at every request. */
describe('proxy environment', () => {
	const saved = { ...process.env };
	afterEach(() => {
		process.env = { ...saved };
	});

	it('sends requests through HTTP_PROXY, and straight to hosts in NO_PROXY', async () => {
		const proxy = await startFakeProxy({ kind: 'tunnel' });
		const target = await startLoopbackServer((_req, res) => void res.end('from the target'));
		try {
			process.env.HTTP_PROXY = proxy.url;
			process.env.NO_PROXY = '';
			expect((await sendHttp({ method: 'GET', url: `${target.url}/ping`, timeoutMs: 5000 })).bodyText).toBe('from the target');
			expect(proxy.tunnels).toEqual([new URL(target.url).host]);

			process.env.NO_PROXY = '127.0.0.1';
			expect((await sendHttp({ method: 'GET', url: `${target.url}/again`, timeoutMs: 5000 })).bodyText).toBe('from the target');
			expect(proxy.tunnels).toHaveLength(1);
			expect(target.requests.map((r) => r.url)).toEqual(['/ping', '/again']);
		} finally {
			await proxy.close();
			await target.close();
		}
	});

	it.each([
		['', 'http://hooks.example.com/', 'http://proxy:3128/'],
		['*', 'http://hooks.example.com/', undefined],
		['example.com', 'http://hooks.example.com/', undefined],
		['.example.com', 'http://example.com/', undefined],
		['*.example.com', 'http://a.example.com/', undefined],
		['ample.com', 'http://example.com/', 'http://proxy:3128/'],
		['example.com:8080', 'http://example.com/', 'http://proxy:3128/'],
		['example.com:8080', 'http://example.com:8080/', undefined],
		['example.com:80', 'http://example.com/', undefined],
		['other.org, example.com', 'http://example.com/', undefined],
		['::1', 'http://[::1]:9/', undefined],
		['[::1]:9', 'http://[::1]:9/', undefined],
		['[::1]:10', 'http://[::1]:9/', 'http://proxy:3128/'],
	])('NO_PROXY=%j, %s → %s', (noProxy, url, expected) => {
		expect(proxyFor(new URL(url), { HTTP_PROXY: 'http://proxy:3128', NO_PROXY: noProxy })?.href).toBe(expected);
	});

	it('https URLs use HTTPS_PROXY, falling back to HTTP_PROXY; lower case wins', () => {
		const env = { HTTP_PROXY: 'http://plain:1', HTTPS_PROXY: 'http://secure:2' };
		expect(proxyFor(new URL('https://a.test/'), env)?.host).toBe('secure:2');
		expect(proxyFor(new URL('http://a.test/'), env)?.host).toBe('plain:1');
		expect(proxyFor(new URL('https://a.test/'), { HTTP_PROXY: 'http://plain:1' })?.host).toBe('plain:1');
		expect(proxyFor(new URL('http://a.test/'), { http_proxy: 'http://lower:3', HTTP_PROXY: 'http://upper:4' })?.host).toBe('lower:3');
		expect(proxyFor(new URL('http://a.test/'), {})).toBeUndefined();
	});
});

/** curl and n8n read a proxy written without a scheme as an HTTP proxy. */
describe('proxy variables written without a scheme', () => {
	it.each([
		['127.0.0.1:3128', 'http://127.0.0.1:3128/'],
		['localhost:3128', 'http://localhost:3128/'],
		['proxy.corp:8080', 'http://proxy.corp:8080/'],
		['[::1]:3128', 'http://[::1]:3128/'],
		['user:pa55@proxy.corp:3128', 'http://user:pa55@proxy.corp:3128/'],
		['  proxy.corp:8080  ', 'http://proxy.corp:8080/'],
		['HTTPS://secure.corp:443', 'https://secure.corp/'],
	])('HTTP_PROXY=%j is %s', (value, expected) => {
		expect(proxyFor(new URL('http://hooks.example.com/'), { HTTP_PROXY: value })?.href).toBe(expected);
	});

	it('a variable that is only whitespace counts as unset, so the next one applies', () => {
		expect(proxyFor(new URL('https://a.test/'), { https_proxy: '  ', HTTP_PROXY: 'plain:1' })?.href).toBe('http://plain:1/');
		expect(proxyFor(new URL('http://a.test/'), { HTTP_PROXY: ' ' })).toBeUndefined();
	});

	it.each([
		['socks5://user:hunter22@proxy:1080', /^HTTP_PROXY uses socks5:\/\/, but only http:\/\/ and https:\/\/ proxies are supported$/],
		['http://user:hunter22@[bad', /^HTTP_PROXY is not a valid proxy URL/],
		['user:hunter22@pro xy:1', /^HTTP_PROXY is not a valid proxy URL/],
	])('%j is refused naming the variable, never quoting the value', (value, message) => {
		const read = () => proxyFor(new URL('http://hooks.example.com/'), { HTTP_PROXY: value });
		expect(read).toThrow(message);
		expect(read).not.toThrow(/hunter22/);
	});

	it('sends through a proxy written as host:port', async () => {
		const proxy = await startFakeProxy({ kind: 'tunnel' });
		const target = await startLoopbackServer((_req, res) => void res.end('from the target'));
		const saved = { ...process.env };
		try {
			process.env = { ...saved, HTTP_PROXY: new URL(proxy.url).host, NO_PROXY: '' };
			delete process.env.http_proxy;
			expect((await sendHttp({ method: 'GET', url: `${target.url}/ping`, timeoutMs: 5000 })).bodyText).toBe('from the target');
			expect(proxy.tunnels).toEqual([new URL(target.url).host]);
		} finally {
			process.env = saved;
			await proxy.close();
			await target.close();
		}
	});
});
