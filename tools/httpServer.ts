import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
	receivedAt: number;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface LoopbackServer {
	url: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request it gets. */
export async function startLoopbackServer(handler: Handler): Promise<LoopbackServer & { server: Server }> {
	const requests: RecordedRequest[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const recorded: RecordedRequest = {
				method: req.method ?? 'GET',
				url: req.url ?? '/',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
				receivedAt: Date.now(),
			};
			requests.push(recorded);
			Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
				res.statusCode = 500;
				res.end(String(error));
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		server,
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

/** A receiver that answers 200 {ok: true} to everything, or what `answer` says. */
export async function startReceiver(
	answer: (request: RecordedRequest) => { status: number; body?: unknown; headers?: Record<string, string> } = () => ({
		status: 200,
		body: { ok: true },
	}),
) {
	return await startLoopbackServer((request, res) => {
		const { status, body, headers } = answer(request);
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(body === undefined ? '' : JSON.stringify(body));
	});
}
