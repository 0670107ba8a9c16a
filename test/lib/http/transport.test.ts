import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { MAX_KEPT_BODY_BYTES, sendHttp, TransportError, ACCEPT_ENCODING } from '../../../lib/http/transport';
import { deliver, prepareRequest } from '../../../lib/dispatch';
import { startLoopbackServer, type LoopbackServer } from '../../../tools/httpServer';
import { FakeClock } from '../../support/fakeClock';
import { startFakeProxy, type FakeProxy } from '../../support/proxies';
import { brotliCompressSync, constants, createGzip, deflateSync, gzipSync } from 'node:zlib';

const MiB = 1024 * 1024;

/** Answers 200 with `totalBytes` of body, written as the client reads, never held in memory. */
async function bigAnswer(totalBytes: number, cutAfterBytes = Infinity): Promise<LoopbackServer> {
	return await startLoopbackServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(totalBytes) });
		const chunk = Buffer.alloc(64 * 1024, 'a');
		let sent = 0;
		const pump = () => {
			while (sent < totalBytes) {
				if (sent >= cutAfterBytes) return void res.socket?.destroy();
				sent += chunk.length;
				if (!res.write(sent > totalBytes ? chunk.subarray(0, chunk.length - (sent - totalBytes)) : chunk)) return void res.once('drain', pump);
			}
			res.end();
		};
		res.on('error', () => undefined);
		pump();
	});
}

const TX = 'tx-body';
const plainPost = (url: string) =>
	prepareRequest(
		{
			method: 'POST',
			rootUrl: url,
			path: '',
			query: [],
			inheritedHeaders: {},
			secretHeaders: {},
			nodeHeaders: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }],
			excludeInheritedHeaders: [],
			bodyContentType: 'none',
			body: '',
			signed: false,
		},
		{},
		TX,
	);
const policy = { maxRetries: 3, retryWindowMs: 360_000, timeoutMs: 5000, blockPrivateNetworks: false };

let server: LoopbackServer | undefined;
let proxy: FakeProxy | undefined;
const savedEnv = { ...process.env };
afterEach(async () => {
	process.env = { ...savedEnv };
	await server?.close();
	await proxy?.close();
	server = proxy = undefined;
});

describe('answer bodies', () => {
	it('keeps the first MiB of a 20 MiB answer and marks it truncated', async () => {
		server = await bigAnswer(20 * MiB);
		const answer = await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 });
		expect(answer.statusCode).toBe(200);
		expect(answer.bodyText).toHaveLength(MAX_KEPT_BODY_BYTES);
		expect(answer.bodyTruncated).toBe(true);
	});

	it('keeps a body at the limit whole, unmarked', async () => {
		server = await bigAnswer(MAX_KEPT_BODY_BYTES);
		const answer = await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 });
		expect(answer.bodyText).toHaveLength(MAX_KEPT_BODY_BYTES);
		expect(answer.bodyTruncated).toBe(false);
	});

	it('drops a multi-byte character cut at the limit instead of showing it broken', async () => {
		// "é" is two bytes in UTF-8: its first byte is the last one kept.
		const text = `${'a'.repeat(MAX_KEPT_BODY_BYTES - 1)}é tail`;
		server = await startLoopbackServer((_req, res) => void res.end(text));
		const answer = await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 });
		expect(answer.bodyTruncated).toBe(true);
		expect(answer.bodyText).toBe('a'.repeat(MAX_KEPT_BODY_BYTES - 1));
	});

	it('decodes a whole body as UTF-8, a character split across chunks included', async () => {
		server = await startLoopbackServer((_req, res) => {
			const bytes = Buffer.from('{"name":"café ✓"}');
			res.write(bytes.subarray(0, 13));
			setTimeout(() => res.end(bytes.subarray(13)), 20);
		});
		const answer = await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 });
		expect(answer).toMatchObject({ bodyText: '{"name":"café ✓"}', bodyTruncated: false });
	});

	it('a body that stalls after the status ends at the deadline with what came, marked truncated', async () => {
		server = await startLoopbackServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.write('first part');
		});
		const started = Date.now();
		const answer = await sendHttp({ method: 'GET', url: server.url, timeoutMs: 300 });
		expect(answer).toMatchObject({ statusCode: 200, bodyText: 'first part', bodyTruncated: true });
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('no answer at all within the deadline is a timeout', async () => {
		server = await startLoopbackServer(() => undefined);
		await expect(sendHttp({ method: 'GET', url: server.url, timeoutMs: 300 })).rejects.toMatchObject({ kind: 'timeout', message: 'no answer within 0.3 s' });
	});

	it('informational answers (103 Early Hints) before the status are passed over', async () => {
		server = await startLoopbackServer((_req, res) => {
			res.writeEarlyHints({ link: '</style.css>; rel=preload' });
			res.writeHead(201, { 'x-final': 'yes' });
			res.end('created');
		});
		const answer = await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 });
		expect(answer).toMatchObject({ statusCode: 201, bodyText: 'created', bodyTruncated: false });
		expect(answer.headers).toMatchObject({ 'x-final': 'yes' });
		expect(answer.headers).not.toHaveProperty('link');
	});

	it('a repeated header is one value, joined by commas', async () => {
		server = await startLoopbackServer((_req, res) => {
			res.setHeader('set-cookie', ['a=1', 'b=2']);
			res.end();
		});
		expect((await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 })).headers['set-cookie']).toBe('a=1, b=2');
	});

	it('after an answer cut at the cap, the next request to the same receiver is answered whole', async () => {
		let calls = 0;
		server = await startLoopbackServer((_req, res) => {
			if (++calls > 1) return void res.end('small');
			res.on('error', () => undefined);
			res.end(Buffer.alloc(3 * MAX_KEPT_BODY_BYTES, 'b'));
		});
		expect((await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 })).bodyTruncated).toBe(true);
		expect(await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 })).toMatchObject({ statusCode: 200, bodyText: 'small', bodyTruncated: false });
	});

	it('a 200 whose body is cut off is a Success, sent once', async () => {
		server = await bigAnswer(10 * MiB, 256 * 1024);
		const outcome = await deliver(plainPost(server.url), TX, policy, { clock: new FakeClock() });
		expect(outcome).toMatchObject({ success: true, statusCode: 200, bodyTruncated: true });
		expect(outcome.attempts).toHaveLength(1);
		expect(server.requests).toHaveLength(1);
		expect(outcome.bodyText.length).toBeLessThanOrEqual(256 * 1024);
	});

	it('a huge 200 is a Success, sent once', async () => {
		server = await bigAnswer(100 * MiB);
		const outcome = await deliver(plainPost(server.url), TX, policy, { clock: new FakeClock() });
		expect(outcome).toMatchObject({ success: true, statusCode: 200, bodyTruncated: true });
		expect(server.requests).toHaveLength(1);
	});

	it('a 300 MB answer costs the client bounded memory (peak RSS in a child process)', async () => {
		server = await bigAnswer(300 * 1000 * 1000);
		// Asynchronously: the server answering lives in this process.
		const child = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'support', 'bigBodyClient.ts'), server.url], {
			timeout: 60_000,
		});
		const report = JSON.parse(child.stdout) as { keptBytes: number; truncated: boolean; peakRssMiB: number };
		expect(report).toMatchObject({ keptBytes: MAX_KEPT_BODY_BYTES, truncated: true });
		// The process itself (node, tsx, undici) takes about 60 MiB; 300 MB of body would be far above.
		expect(report.peakRssMiB).toBeLessThan(150);
	});
});

describe('a proxy that fails', () => {
	it('never answering CONNECT: each request ends by its timeout, one connection each', async () => {
		proxy = await startFakeProxy({ kind: 'silent' });
		process.env.HTTP_PROXY = proxy.url;
		process.env.NO_PROXY = '';
		const results = await Promise.allSettled([1, 2].map((n) => sendHttp({ method: 'GET', url: `http://127.0.0.1:9/${n}`, timeoutMs: 300 })));
		expect(results.map((r) => r.status === 'rejected' && (r.reason as TransportError).kind)).toEqual(['timeout', 'timeout']);
		expect(proxy.connections).toBeLessThanOrEqual(2);
	});

	it('dropping every CONNECT: the request fails as a network error, and retries make one connection each', async () => {
		proxy = await startFakeProxy({ kind: 'drop' });
		process.env.HTTP_PROXY = proxy.url;
		process.env.NO_PROXY = '';
		const outcome = await deliver(plainPost('http://127.0.0.1:9'), TX, { ...policy, maxRetries: 3 }, { clock: new FakeClock() });
		expect(outcome).toMatchObject({
			success: false,
			error: { kind: 'network', message: expect.stringMatching(/closed the connection before opening a tunnel/) },
		});
		expect(outcome.attempts).toHaveLength(4);
		// Give a reconnect storm, if there were one, time to show.
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(proxy.connections).toBe(4);
		expect(proxy.tunnels).toEqual(Array(4).fill('127.0.0.1:9'));
	});

	it('refusing the tunnel (407): a network error naming the status', async () => {
		server = await startLoopbackServer((_req, res) => void res.end());
		const refusing = await startLoopbackServer((_req, res) => void res.end());
		refusing.server.on('connect', (_req, socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'));
		process.env.HTTP_PROXY = refusing.url;
		try {
			await expect(sendHttp({ method: 'GET', url: server.url, timeoutMs: 2000 })).rejects.toMatchObject({
				kind: 'network',
				message: expect.stringMatching(/refused the tunnel \(407\)/),
			});
		} finally {
			await refusing.close();
		}
	});
});

describe('sendHttp: compressed answers', () => {
	// Issue 24 item 8: compressed answers are asked for and decoded, the cap counts decoded bytes.
	let server: LoopbackServer | undefined;
	afterEach(async () => {
		await server?.close();
		server = undefined;
	});

	const JSON_BODY = JSON.stringify({ ok: true, text: 'Grüße — ünïcödé '.repeat(50) });

	async function answering(encoding: string, body: Buffer): Promise<LoopbackServer> {
		return await startLoopbackServer((_request, res) => {
			res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
			res.end(body);
		});
	}

	describe('compressed answers', () => {
		it(`asks for ${ACCEPT_ENCODING}, as n8n's HTTP Request node does; a request's own Accept-Encoding wins`, async () => {
			server = await startLoopbackServer((_request, res) => void res.end('{}'));
			await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 });
			await sendHttp({ method: 'GET', url: server.url, headers: { 'Accept-Encoding': 'identity' }, timeoutMs: 5000 });
			expect(server.requests.map((request) => request.headers['accept-encoding'])).toEqual(['gzip, deflate, br', 'identity']);
		});

		it.each([
			['gzip', gzipSync(JSON_BODY)],
			['x-gzip', gzipSync(JSON_BODY)],
			['GZIP', gzipSync(JSON_BODY)],
			['deflate', deflateSync(JSON_BODY)],
			['br', brotliCompressSync(JSON_BODY)],
		])('%s: decoded to the text it encodes', async (encoding, body) => {
			server = await answering(encoding, body);
			const answer = await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 });
			expect(answer).toMatchObject({ statusCode: 200, bodyText: JSON_BODY, bodyTruncated: false });
		});

		it('identity, or a coding not asked for, comes as it is', async () => {
			server = await answering('identity', Buffer.from(JSON_BODY));
			expect((await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 })).bodyText).toBe(JSON_BODY);
		});

		it.each([
			['gzip', gzipSync(Buffer.alloc(3 * MAX_KEPT_BODY_BYTES, 'x'))],
			['br', brotliCompressSync(Buffer.alloc(3 * MAX_KEPT_BODY_BYTES, 'x'), { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } })],
		])('%s: the 1 MiB cap counts decoded bytes', async (encoding, body) => {
			expect(body.length).toBeLessThan(MAX_KEPT_BODY_BYTES);
			server = await answering(encoding, body);
			const answer = await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 });
			expect(answer.bodyTruncated).toBe(true);
			expect(answer.bodyText).toBe('x'.repeat(MAX_KEPT_BODY_BYTES));
		});

		it('a decompression bomb that never ends is read up to the cap and no further', async () => {
			// An endless gzip stream of zeros: a reader that decoded it all would never return.
			let closed = false;
			server = await startLoopbackServer((_request, res) => {
				res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
				const gzip = createGzip();
				gzip.pipe(res);
				const zeros = Buffer.alloc(1024 * 1024, '0');
				const pump = () => {
					while (!closed) if (!gzip.write(zeros)) return void gzip.once('drain', pump);
				};
				res.on('close', () => {
					closed = true;
					gzip.destroy();
				});
				res.on('error', () => undefined);
				pump();
			});
			const answer = await sendHttp({ method: 'GET', url: server.url, timeoutMs: 30_000 });
			expect(answer).toMatchObject({ statusCode: 200, bodyTruncated: true });
			expect(answer.bodyText.length).toBe(MAX_KEPT_BODY_BYTES);
		});

		it('a body that does not decode: the answer stands, kept as far as it decoded', async () => {
			const valid = gzipSync(JSON_BODY);
			server = await answering('gzip', Buffer.concat([valid.subarray(0, 10), Buffer.from('not gzip at all')]));
			const answer = await sendHttp({ method: 'GET', url: server.url, timeoutMs: 5000 });
			expect(answer).toMatchObject({ statusCode: 200, bodyTruncated: true });
		});
	});
});
