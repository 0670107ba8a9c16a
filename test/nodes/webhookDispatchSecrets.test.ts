import { WebhookDispatch } from '../../nodes/WebhookDispatch/WebhookDispatch.node';
import { itemsInto, node, NodeTypeRegistry, outputOf, runWorkflow } from '../support/engine';
import { startLoopbackServer, type LoopbackServer } from '../../tools/httpServer';

/**
 * Secrets a receiver echoes, whatever their length or JSON type, appear nowhere in the node's
 * output or error: on main a several-thousand-character secret made masking throw a
 * SyntaxError that spelled the secret out, and a numeric one came back as a JSON number.
 */
const nodeTypes = new NodeTypeRegistry({ webhookDispatch: new WebhookDispatch() });
let receiver: LoopbackServer;

afterEach(async () => {
	await receiver?.close();
});

/** A receiver that answers with `body(request headers)` as JSON text, written as given. */
async function echoing(body: (headers: Record<string, string | string[] | undefined>) => string) {
	receiver = await startLoopbackServer((request, res) => {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(body(request.headers));
	});
}

async function dispatch(secretHeaders: Record<string, string>) {
	const target = node('webhookDispatch', { method: 'POST', bodyContentType: 'json', body: '{}' } as never, {
		name: 'Dispatch',
		credentials: { webhookIntegration: { id: 'integration-1', name: 'Receiver' } },
	});
	const run = await runWorkflow({
		...itemsInto(target, [{}] as never),
		nodeTypes,
		startNode: 'Items',
		credentials: {
			webhookIntegration: {
				rootUrl: receiver.url,
				headers: '',
				secretHeaders: JSON.stringify(secretHeaders),
				rateLimitPerSecond: 0,
				signingSecret: '',
				timeoutSeconds: 5,
				blockPrivateNetworks: false,
			},
		},
	});
	const error = run.data.resultData.error;
	return {
		success: outputOf(run, 'Dispatch', 0),
		everything: JSON.stringify({ data: run.data.resultData, error: error && { message: error.message, description: error.description } }),
	};
}

describe('Webhook Dispatch: echoed secrets of any length and type', () => {
	// Node's HTTP server takes up to 16 KiB of headers: the library test goes to 1M characters.
	it.each([100, 10_000])('a %i-character bearer token echoed back, whole and alone, is masked, and the node does not fail', async (length) => {
		const token = Array.from({ length }, (_, i) => 'aZ.+/=-_~9'[i % 10]).join('');
		await echoing((headers) => JSON.stringify({ authorization: headers.authorization, raw: String(headers.authorization).slice('Bearer '.length) }));
		const { success, everything } = await dispatch({ Authorization: `Bearer ${token}` });
		expect(success).toHaveLength(1);
		expect(success[0].body).toEqual({ authorization: '***', raw: '***' });
		expect(everything.includes(token.slice(0, 40))).toBe(false);
	});

	it('a numeric secret echoed as a JSON number, a long one included, is the mask', async () => {
		const short = '31415926';
		const long = '27182818284590452353';
		await echoing(() => `{"pin": ${short}, "account": ${long}, "list": [${short}, 7], "label": "pin ${short}"}`);
		const { success, everything } = await dispatch({ 'X-Pin': short, 'X-Account': long });
		expect(success[0].body).toEqual({ pin: '***', account: '***', list: ['***', 7], label: 'pin ***' });
		// 27182818284590452353 parses to 27182818284590450000: neither form may show.
		expect(everything).not.toMatch(/31415926|2718281828459045/);
	});
});
