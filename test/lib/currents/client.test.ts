import { PlatformApiClient, PlatformApiError } from '../../../lib/currents';
import { sendJson, startLoopbackServer } from '../../../tools/httpServer';

describe('PlatformApiClient', () => {
	it('never puts the API key in an error, even when the API echoes it', async () => {
		const apiKey = ['key', 'that', 'must', 'stay', 'hidden'].join('-');
		const server = await startLoopbackServer((req, res) => sendJson(res, 401, { status: 'FAILED', error: `unknown key ${req.headers.authorization}` }));
		try {
			const client = new PlatformApiClient({ baseUrl: server.url, apiKey });
			const error = await client.listProjects().catch((e: unknown) => e);
			expect(error).toBeInstanceOf(PlatformApiError);
			expect((error as PlatformApiError).statusCode).toBe(401);
			expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(apiKey);
			expect((error as Error).message).toContain('unknown key Bearer ***');
		} finally {
			await server.close();
		}
	});

	it('refuses an answer that is not in the platform envelope, naming the field', async () => {
		const server = await startLoopbackServer((_req, res) => sendJson(res, 200, { status: 'OK', data: [{ hookId: 'x' }] }));
		try {
			const client = new PlatformApiClient({ baseUrl: server.url, apiKey: 'k' });
			await expect(client.listWebhooks('p')).rejects.toMatchObject({ kind: 'invalidResponse', message: expect.stringMatching(/data\.0\.projectId/) });
		} finally {
			await server.close();
		}
	});

	it('reuses keep-alive connections for successive calls to the same API', async () => {
		const server = await startLoopbackServer((_req, res) => sendJson(res, 200, { status: 'OK', data: [] }));
		const sockets = new Set<unknown>();
		server.server.on('connection', (socket) => sockets.add(socket));
		try {
			const client = new PlatformApiClient({ baseUrl: server.url, apiKey: 'k' });
			for (let i = 0; i < 10; i++) await client.listWebhooks('p');
			expect(server.requests).toHaveLength(10);
			// undici may open a second socket while the first is still finishing its answer;
			// without keep-alive there would be one per request.
			expect(sockets.size).toBeLessThanOrEqual(3);
		} finally {
			await server.close();
		}
	});
});
