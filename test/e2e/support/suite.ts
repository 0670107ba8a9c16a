import type { N8nServer } from '../../../tools/n8nServer';

interface Closable {
	close(): Promise<void>;
}

/**
 * The end of every real-n8n describe block: stop n8n and the local servers it talked to, and
 * print n8n's log tail under a failed test (the only place the server's side of a failure shows).
 */
export function stopAfterSuite(version: string, started: () => { n8n?: N8nServer; servers: Array<Closable | undefined> }): void {
	afterAll(async () => {
		const { n8n, servers } = started();
		await n8n?.stop();
		for (const server of servers) await server?.close();
	}, 60_000);

	afterEach(() => {
		const state = expect.getState();
		if (state.assertionCalls !== state.numPassingAsserts) console.log(`n8n ${version} log tail:\n${started().n8n?.logTail()}`);
	});
}
