import { retryAfterMs, sendFollowingRedirects } from '../../../lib/dispatch';
import { startLoopbackServer, type LoopbackServer } from '../../../tools/httpServer';

// lib/dispatch/backoff.ts and redirects.ts at their edges.
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('retryAfterMs', () => {
	it('delta seconds, with surrounding whitespace', () => {
		expect(retryAfterMs(' 5 ', NOW)).toBe(5000);
		expect(retryAfterMs('0', NOW)).toBe(0);
	});

	it('digits with anything before or after are not delta seconds (and not a date): unreadable', () => {
		expect(retryAfterMs('5abc', NOW)).toBeUndefined();
		expect(retryAfterMs('abc5', NOW)).toBeUndefined();
	});

	it('an HTTP date: the time until it, never negative', () => {
		expect(retryAfterMs('Thu, 01 Jan 2026 00:00:07 GMT', NOW)).toBe(7000);
		expect(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', NOW)).toBe(0);
	});

	it.each(['-5', '1.5', '1e3', '+5', '2026-01-01T00:00:07Z', '01 Jan 2026 00:00:07 GMT'])(
		'%s is neither delta seconds nor an HTTP date: unreadable, never a wait of zero',
		(value) => {
			expect(retryAfterMs(value, NOW)).toBeUndefined();
		},
	);

	it('the other two HTTP date forms (RFC 850 and asctime) are read too', () => {
		expect(retryAfterMs('Thursday, 01-Jan-26 00:00:07 GMT', NOW)).toBe(7000);
		expect(retryAfterMs('Thu Jan  1 00:00:07 2026', NOW)).toBe(7000);
	});

	it('absent or unreadable: undefined', () => {
		expect(retryAfterMs(undefined, NOW)).toBeUndefined();
		expect(retryAfterMs('soon', NOW)).toBeUndefined();
	});
});

describe('sendFollowingRedirects at the edges', () => {
	let server: LoopbackServer | undefined;
	afterEach(async () => {
		await server?.close();
		server = undefined;
	});

	/** /start answers `status` with `location` (when given); every other path answers 200. */
	async function redirecting(status: number, location?: string): Promise<LoopbackServer> {
		return await startLoopbackServer((request, res) => {
			if (request.url === '/start') {
				res.writeHead(status, location === undefined ? {} : { location });
				res.end('redirect');
			} else {
				res.writeHead(200);
				res.end('final');
			}
		});
	}
	const policy = { maxRedirects: 3, secretHeaderNames: [] };

	it('a redirect status without Location is the answer', async () => {
		server = await redirecting(302);
		const answer = await sendFollowingRedirects({ method: 'GET', url: `${server.url}/start`, timeoutMs: 5000 }, policy);
		expect(answer.statusCode).toBe(302);
		expect(server.requests).toHaveLength(1);
	});

	it('a Location that is not http(s) is not followed: the redirect is the answer', async () => {
		server = await redirecting(302, 'ftp://files.example.com/x');
		const answer = await sendFollowingRedirects({ method: 'GET', url: `${server.url}/start`, timeoutMs: 5000 }, policy);
		expect(answer.statusCode).toBe(302);
		expect(server.requests).toHaveLength(1);
	});

	it('an https Location is followed (here to a closed port: the hop fails to connect, instead of the 307 coming back)', async () => {
		server = await redirecting(307, 'https://127.0.0.1:1/next');
		await expect(sendFollowingRedirects({ method: 'GET', url: `${server.url}/start`, timeoutMs: 5000 }, policy)).rejects.toMatchObject({ kind: 'network' });
	});

	it('301 after a PUT keeps the method and the body', async () => {
		server = await redirecting(301, '/next');
		const answer = await sendFollowingRedirects(
			{ method: 'PUT', url: `${server.url}/start`, headers: { 'content-type': 'text/plain' }, body: 'payload', timeoutMs: 5000 },
			policy,
		);
		expect(answer.statusCode).toBe(200);
		expect(server.requests[1]).toMatchObject({ method: 'PUT', url: '/next', body: 'payload' });
	});

	it('303 continues as a GET without body', async () => {
		server = await redirecting(303, '/next');
		await sendFollowingRedirects(
			{ method: 'PUT', url: `${server.url}/start`, headers: { 'content-type': 'text/plain' }, body: 'payload', timeoutMs: 5000 },
			policy,
		);
		expect(server.requests[1]).toMatchObject({ method: 'GET', url: '/next', body: '' });
		expect(server.requests[1].headers['content-type']).toBeUndefined();
	});
});
