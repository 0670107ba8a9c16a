import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { startLoopbackServer } from '../../tools/httpServer';

/** A forward proxy on loopback that tunnels CONNECT requests and records their targets. */
async function startTunnelProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
	const tunnels: string[] = [];
	const server: Server = createServer((_req, res) => res.writeHead(405).end());
	server.on('connect', (req, client, head) => {
		tunnels.push(req.url ?? '');
		const [host, port] = (req.url ?? '').split(':');
		const upstream = connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		tunnels,
		close: () => new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}

/** The transport reads HTTP_PROXY / NO_PROXY when it creates a pool, as undici's EnvHttpProxyAgent does. */
describe('proxy environment', () => {
	const saved = { ...process.env };
	afterEach(() => {
		process.env = { ...saved };
	});

	function freshTransport(): typeof import('../../lib/http/transport') {
		let transport!: typeof import('../../lib/http/transport');
		jest.isolateModules(() => {
			transport = jest.requireActual('../../lib/http/transport');
		});
		return transport;
	}

	it('sends requests through HTTP_PROXY, and straight to hosts in NO_PROXY', async () => {
		const proxy = await startTunnelProxy();
		const target = await startLoopbackServer((_req, res) => void res.end('from the target'));
		try {
			process.env.HTTP_PROXY = proxy.url;
			process.env.NO_PROXY = '';
			const proxied = freshTransport();
			expect((await proxied.sendHttp({ method: 'GET', url: `${target.url}/ping`, timeoutMs: 5000 })).bodyText).toBe('from the target');
			expect(proxy.tunnels).toEqual([new URL(target.url).host]);

			process.env.NO_PROXY = '127.0.0.1';
			const direct = freshTransport();
			expect((await direct.sendHttp({ method: 'GET', url: `${target.url}/again`, timeoutMs: 5000 })).bodyText).toBe('from the target');
			expect(proxy.tunnels).toHaveLength(1);
			expect(target.requests.map((r) => r.url)).toEqual(['/ping', '/again']);
		} finally {
			await proxy.close();
			await target.close();
		}
	});
});
