import { brotliCompressSync, constants, createGzip, deflateSync, gzipSync } from 'node:zlib';
import { ACCEPT_ENCODING, MAX_KEPT_BODY_BYTES, sendHttp } from '../../lib/http/transport';
import { startLoopbackServer, type LoopbackServer } from '../../tools/httpServer';

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
