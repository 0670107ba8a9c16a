import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export type ProxyBehaviour =
	/** Tunnels every CONNECT to the host it names (loopback only), or to `tunnelTo` when given. */
	| { kind: 'tunnel'; tunnelTo?: number }
	/** Accepts connections and never answers. */
	| { kind: 'silent' }
	/** Closes every connection as soon as CONNECT arrives. */
	| { kind: 'drop' };

export interface FakeProxy {
	url: string;
	/** TCP connections the proxy accepted. */
	connections: number;
	/** The authority of every CONNECT received. */
	tunnels: string[];
	close(): Promise<void>;
}

/** A forward proxy on 127.0.0.1 that counts what it sees; it only ever connects to loopback. */
export async function startFakeProxy(behaviour: ProxyBehaviour): Promise<FakeProxy> {
	const sockets = new Set<Socket>();
	const server: Server = createServer((_req, res) => res.writeHead(405).end());
	const proxy: FakeProxy = { url: '', connections: 0, tunnels: [], close: async () => undefined };
	server.on('connection', (socket: Socket) => {
		proxy.connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('connect', (req, client: Socket, head) => {
		proxy.tunnels.push(req.url ?? '');
		if (behaviour.kind === 'silent') return;
		if (behaviour.kind === 'drop') return void client.destroy();
		const port = behaviour.tunnelTo ?? Number(new URL(`http://${req.url}`).port);
		const upstream = connect(port, '127.0.0.1', () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	proxy.close = () =>
		new Promise<void>((resolve) => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve());
		});
	return proxy;
}
