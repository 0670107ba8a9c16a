import { WebhookDispatch } from '../../nodes/WebhookDispatch/WebhookDispatch.node';
import { itemsInto, node, NodeTypeRegistry, outputOf, startWorkflow } from '../support/engine';
import { startLoopbackServer, startReceiver, type LoopbackServer } from '../../tools/httpServer';

// Issue 24 item 5: Stop (n8n's cancellation of the execution) stops Webhook Dispatch at once.
// The waits here are minutes long, far past Jest's timeout: a run that settles proves they were
// abandoned; the receiver's request count proves nothing more was sent.
const nodeTypes = new NodeTypeRegistry({ webhookDispatch: new WebhookDispatch() });
let receiver: LoopbackServer;
let credentialCounter = 0;

afterEach(async () => {
	await receiver?.close();
});

/** Starts the workflow and presses Stop once the receiver has seen `requests` requests; then runs `afterStop`. */
async function runAndStopAfter(
	requests: number,
	parameters: Record<string, unknown>,
	items: object[],
	credential: Record<string, unknown>,
	afterStop = () => {},
) {
	const target = node('webhookDispatch', { method: 'POST', bodyContentType: 'json', body: '{}', onFailure: 'routeToFailureOutput', ...parameters } as never, {
		name: 'Dispatch',
		typeVersion: 1.1,
		// A credential of its own: the in-process rate limit is shared per credential.
		credentials: { webhookIntegration: { id: `stop-${++credentialCounter}`, name: 'Receiver' } },
	});
	const execution = startWorkflow({
		...itemsInto(target, items as never),
		nodeTypes,
		startNode: 'Items',
		credentials: {
			webhookIntegration: {
				rootUrl: receiver.url,
				headers: '{}',
				secretHeaders: '{}',
				signingSecret: '',
				timeoutSeconds: 5,
				blockPrivateNetworks: false,
				...credential,
			},
		},
	});
	while (receiver.requests.length < requests) await new Promise((resolve) => setImmediate(resolve));
	execution.cancel();
	afterStop();
	const run = await execution;
	return { success: outputOf(run, 'Dispatch', 0), failure: outputOf(run, 'Dispatch', 1) };
}

const carryingId = { headers: { parameter: [{ name: 'Idempotency-Key', value: '${ WebhookRequest.TransactionalId }' }] } };

describe('Webhook Dispatch when the execution is stopped', () => {
	it('abandons a Retry-After wait of minutes: the answered attempt is the outcome, nothing is sent again', async () => {
		receiver = await startReceiver(() => ({ status: 503, headers: { 'retry-after': '300' } }));
		const { success, failure } = await runAndStopAfter(1, { ...carryingId, options: { maxRetries: 3, retryWindowSeconds: 3600 } }, [{ id: 1 }], {
			rateLimitPerSecond: 0,
		});
		expect(success).toEqual([]);
		expect(failure).toHaveLength(1);
		expect(failure[0]).toMatchObject({
			statusCode: 503,
			error: { kind: 'http', message: 'The receiver answered 503; not retried: the execution was stopped' },
		});
		expect(failure[0].attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 503, retryAfterMs: 300_000 })]);
		expect(receiver.requests).toHaveLength(1);
	});

	it('abandons rate-limit waits: items not yet sent leave by Failure as not sent (kind canceled), in input order', async () => {
		receiver = await startReceiver(() => ({ status: 200, body: { ok: true } }));
		// One request per 100 s: the second and third item would wait minutes for their slots.
		const items = [{ id: 1 }, { id: 2 }, { id: 3 }];
		const { success, failure } = await runAndStopAfter(1, { options: { concurrency: 3 } }, items, { rateLimitPerSecond: 0.01 });
		expect(success).toHaveLength(1);
		expect(failure).toHaveLength(2);
		for (const item of failure) {
			expect(item).toMatchObject({
				success: false,
				statusCode: null,
				attempts: [],
				error: { kind: 'canceled', message: 'Not sent: the execution was stopped' },
			});
		}
		expect(receiver.requests).toHaveLength(1);
	});

	it('a request in flight ends by its own answer; items that had not started are not sent', async () => {
		// Concurrency 1: the first item's request is held open by the receiver when Stop comes.
		let answer = () => {};
		const held = new Promise<void>((resolve) => (answer = resolve));
		receiver = await startLoopbackServer(async (_request, res) => {
			await held;
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
		const items = [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }];
		const { success, failure } = await runAndStopAfter(1, { options: { concurrency: 1 } }, items, { rateLimitPerSecond: 0 }, () => answer());
		expect(success).toEqual([expect.objectContaining({ success: true, statusCode: 200 })]);
		expect(failure.map((item) => item.error)).toEqual(Array(3).fill({ kind: 'canceled', message: 'Not sent: the execution was stopped' }));
		expect(receiver.requests).toHaveLength(1);
	});
});
