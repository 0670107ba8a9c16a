import type { LookupAddress } from 'node:dns';
import { connect as tcpConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { buildConnector } from 'undici';
import { timerDelay } from '../timers';

/** The largest CONNECT answer head read from a proxy. */
const MAX_PROXY_HEAD_BYTES = 16 * 1024;

/**
 * A connection failure that undici must not retry on its own. Its client treats a plain socket
 * error while connecting as recoverable and connects again at once, forever, when a proxy keeps
 * dropping CONNECT (undici 7.x; fixed in 8.10.1 by its own ProxyConnectionError): any other
 * code fails the queued requests instead.
 */
export class ConnectError extends Error {
	constructor(
		readonly code: 'PROXY_CONNECT_TIMEOUT' | 'PROXY_CONNECT_FAILED',
		message: string,
	) {
		super(message);
		this.name = 'ConnectError';
	}
}

export interface ConnectorSettings {
	/** A forward proxy to tunnel through with CONNECT. */
	proxy?: URL;
	/** Resolves and vets the target's addresses before any connection; see EgressPolicy. */
	lookup?: LookupFunction;
	/** How long opening a connection (and a proxy tunnel) may take. */
	timeoutMs: number;
}

const defaultPort = (protocol: string) => (protocol === 'https:' ? 443 : 80);

function resolveAll(lookup: LookupFunction, hostname: string): Promise<LookupAddress[]> {
	return new Promise((resolve, reject) => {
		lookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses as LookupAddress[])));
	});
}

/** Opens a CONNECT tunnel to `authority` through `proxy`; the socket is handed over once the proxy answers 200. */
function openTunnel(proxy: URL, authority: string, timeoutMs: number): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const port = Number(proxy.port) || defaultPort(proxy.protocol);
		const host = proxy.hostname.replace(/^\[|\]$/g, '');
		const socket: Socket = proxy.protocol === 'https:' ? tlsConnect({ host, port, servername: isIP(host) ? undefined : host }) : tcpConnect({ host, port });
		const credentials = proxy.username
			? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
			: '';
		let head = Buffer.alloc(0);
		const fail = (error: Error) => {
			cleanUp();
			socket.destroy();
			reject(error);
		};
		const timer = setTimeout(
			() => fail(new ConnectError('PROXY_CONNECT_TIMEOUT', `the proxy ${proxy.host} did not open a tunnel within ${timeoutMs / 1000} s`)),
			timerDelay(timeoutMs),
		);
		const onConnect = () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${credentials}\r\n`);
		const onClose = () => fail(new ConnectError('PROXY_CONNECT_FAILED', `the proxy ${proxy.host} closed the connection before opening a tunnel`));
		const onError = (error: Error) => fail(new ConnectError('PROXY_CONNECT_FAILED', `the proxy ${proxy.host} failed: ${error.message}`));
		const onData = (chunk: Buffer) => {
			head = Buffer.concat([head, chunk]);
			const end = head.indexOf('\r\n\r\n');
			if (end === -1) {
				if (head.length > MAX_PROXY_HEAD_BYTES) fail(new ConnectError('PROXY_CONNECT_FAILED', `the proxy ${proxy.host} sent an oversized answer to CONNECT`));
				return;
			}
			const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'))?.[1];
			if (status !== '200') return fail(new ConnectError('PROXY_CONNECT_FAILED', `the proxy ${proxy.host} refused the tunnel (${status ?? 'not HTTP'})`));
			cleanUp();
			const rest = head.subarray(end + 4);
			if (rest.length) socket.unshift(rest);
			resolve(socket);
		};
		const cleanUp = () => {
			clearTimeout(timer);
			socket.off(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', onConnect);
			socket.off('data', onData);
			socket.off('close', onClose);
			socket.off('error', onError);
		};
		socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', onConnect);
		socket.on('data', onData);
		socket.once('close', onClose);
		socket.once('error', onError);
	});
}

/**
 * The connector for one undici Agent. With `lookup`, every connection's target is vetted
 * before anything is sent: a direct connection resolves through it (so it connects only to
 * addresses it approved; IP literals, which skip resolution, are put to it first), and a
 * proxied one asks it before opening the tunnel, which goes by name so the proxy's own
 * policies still apply. Each step is bounded by the timeout.
 */
export function createConnector({ proxy, lookup, timeoutMs }: ConnectorSettings): buildConnector.connector {
	const direct = buildConnector({ timeout: timerDelay(timeoutMs), ...(lookup ? { lookup } : {}) });
	const connect = async (options: buildConnector.Options): Promise<Socket> => {
		const hostname = options.hostname.replace(/^\[|\]$/g, '');
		if (lookup && (proxy || isIP(hostname))) await resolveAll(lookup, hostname);
		let tunnel: Socket | undefined;
		if (proxy) {
			const port = Number(options.port) || defaultPort(options.protocol);
			tunnel = await openTunnel(proxy, isIP(hostname) === 6 ? `[${hostname}]:${port}` : `${hostname}:${port}`, timeoutMs);
			if (options.protocol !== 'https:') return tunnel;
		}
		return await new Promise<Socket>((resolve, reject) => {
			direct({ ...options, httpSocket: tunnel }, (error, socket) => (error ? reject(error) : resolve(socket!)));
		});
	};
	return (options: buildConnector.Options, callback: buildConnector.Callback) => {
		connect(options).then(
			(socket) => callback(null, socket),
			(error: Error) => callback(error, null),
		);
	};
}
