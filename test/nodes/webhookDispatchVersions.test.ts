import type { INode, IRun } from 'n8n-workflow';
import { WebhookDispatch } from '../../nodes/WebhookDispatch/WebhookDispatch.node';
import { itemsInto, node, NodeTypeRegistry, outputOf, retryExecution, runWorkflow, type WorkflowSpec } from '../support/engine';
import { startReceiver, type LoopbackServer, type RecordedRequest } from '../../tools/httpServer';

const nodeTypes = new NodeTypeRegistry({ webhookDispatch: new WebhookDispatch() });
const SECRET_VALUE = 'very-secret-token-value';
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ITEMS = [{ event: 'a' }, { event: 'b' }, { event: 'c' }];
let receiver: LoopbackServer;

afterEach(async () => {
	await receiver?.close();
});

/** The receiver answers 503 to the events in `down`, 200 to the others; `down` may change between runs. */
async function startFlakyReceiver(down: Set<string>) {
	receiver = await startReceiver((request) => {
		const { event } = JSON.parse(request.body) as { event: string };
		return down.has(event) ? { status: 503, body: { echo: request.headers.authorization } } : { status: 200, body: { ok: true } };
	});
}

const sent = (requests: RecordedRequest[]) => requests.map((r) => JSON.parse(r.body) as { event: string; id: string });

function spec(
	typeVersion: number,
	parameters: Record<string, unknown> = {},
	settings: Partial<INode> = {},
	items: object[] = ITEMS,
): WorkflowSpec & { startNode: string } {
	const target = node(
		'webhookDispatch',
		{
			method: 'POST',
			bodyContentType: 'json',
			body: '{"event": "${ event }", "id": "${ WebhookRequest.TransactionalId }"}',
			options: { maxRetries: 0 },
			...parameters,
		} as never,
		{ name: 'Dispatch', typeVersion, credentials: { webhookIntegration: { id: 'versions', name: 'Receiver' } }, ...settings },
	);
	return {
		...itemsInto(target, items as never),
		nodeTypes,
		startNode: 'Items',
		credentials: {
			webhookIntegration: {
				rootUrl: receiver.url,
				headers: '{}',
				secretHeaders: JSON.stringify({ Authorization: `Bearer ${SECRET_VALUE}` }),
				rateLimitPerSecond: 0,
				signingSecret: '',
				timeoutSeconds: 5,
				blockPrivateNetworks: false,
			},
		},
	};
}

const outputs = (run: IRun) => ({ success: outputOf(run, 'Dispatch', 0), failure: outputOf(run, 'Dispatch', 1), error: run.data.resultData.error });

describe('Webhook Dispatch versions', () => {
	it('new nodes are version 1.1; version 1 stays available for saved workflows', () => {
		const { description } = new WebhookDispatch();
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
	});

	it('version 1: failed deliveries leave by Failure and the execution succeeds', async () => {
		await startFlakyReceiver(new Set(['b']));
		const { success, failure, error } = outputs(await runWorkflow(spec(1)));
		expect(error).toBeUndefined();
		expect(success.map((item) => item.statusCode)).toEqual([200, 200]);
		expect(failure).toEqual([expect.objectContaining({ success: false, statusCode: 503 })]);
	});

	it('version 1: a random UUID per item, as before (not derived from the execution)', async () => {
		await startFlakyReceiver(new Set());
		const first = outputs(await runWorkflow(spec(1))).success.map((item) => item.transactionalId);
		expect(first).toEqual(ITEMS.map(() => expect.stringMatching(/^[0-9a-f-]{36}$/)));
		expect(first.some((id) => UUID_V5.test(id as string))).toBe(false);
	});
});

describe('Webhook Dispatch 1.1: On Failure', () => {
	it('stops the workflow by default: the error names each failed item, its status and transactional id, and no secret', async () => {
		await startFlakyReceiver(new Set(['b', 'c']));
		const run = await runWorkflow(spec(1.1));
		const { error } = outputs(run);
		const ids = Object.fromEntries(sent(receiver.requests).map(({ event, id }) => [event, id]));
		expect(run.status).toBe('error');
		expect(error?.message).toBe(`2 of 3 deliveries failed: item 1: HTTP 503, transactional ID ${ids.b}; item 2: HTTP 503, transactional ID ${ids.c}`);
		expect(error?.description).toContain(`item 1: HTTP 503, transactional ID ${ids.b} (The receiver answered 503`);
		expect(JSON.stringify(run.data)).not.toContain(SECRET_VALUE);
	});

	it('names at most three items in the message and all of them in the description', async () => {
		await startFlakyReceiver(new Set(['a', 'b', 'c', 'd', 'e']));
		const run = await runWorkflow(
			spec(
				1.1,
				{},
				{},
				['a', 'b', 'c', 'd', 'e'].map((event) => ({ event })),
			),
		);
		const { error } = outputs(run);
		expect(error?.message).toMatch(/^5 of 5 deliveries failed: item 0: .+; item 1: .+; item 2: [^;]+ and 2 more$/);
		expect(error?.description?.match(/^item \d: HTTP 503/gm)).toHaveLength(5);
	});

	it('a template error stops the workflow too, named by its kind', async () => {
		await startFlakyReceiver(new Set());
		const run = await runWorkflow(spec(1.1, { body: '{"event": "${ missing }"}' }, {}, [{ event: 'a' }]));
		expect(outputs(run).error?.message).toMatch(/^1 of 1 deliveries failed: item 0: template, transactional ID [0-9a-f-]{36}$/);
		expect(receiver.requests).toHaveLength(0);
	});

	it('"Route to Failure Output" keeps the workflow going, as version 1 does', async () => {
		await startFlakyReceiver(new Set(['b']));
		const { success, failure, error } = outputs(await runWorkflow(spec(1.1, { onFailure: 'routeToFailureOutput' })));
		expect(error).toBeUndefined();
		expect(success).toHaveLength(2);
		expect(failure).toEqual([expect.objectContaining({ statusCode: 503, transactionalId: expect.stringMatching(UUID_V5) })]);
	});

	it('with On Error "Continue (regular output)", failed items leave by Failure with their full result', async () => {
		await startFlakyReceiver(new Set(['b']));
		const { success, failure, error } = outputs(await runWorkflow(spec(1.1, {}, { onError: 'continueRegularOutput' })));
		expect(error).toBeUndefined();
		expect(success.map((item) => item.statusCode)).toEqual([200, 200]);
		expect(failure).toEqual([expect.objectContaining({ success: false, statusCode: 503, attempts: [expect.objectContaining({ statusCode: 503 })] })]);
	});

	it('with On Error "Continue (using error output)", n8n routes failed items to the error output, merged with their input items', async () => {
		await startFlakyReceiver(new Set(['b']));
		const run = await runWorkflow(spec(1.1, {}, { onError: 'continueErrorOutput' }));
		const { success, failure, error } = outputs(run);
		expect(error).toBeUndefined();
		expect(success).toHaveLength(2);
		expect(failure).toEqual([]);
		expect(outputOf(run, 'Dispatch', 2)).toEqual([
			{
				event: 'b',
				message: expect.stringMatching(/^The receiver answered 503/),
				error: expect.objectContaining({ statusCode: 503, transactionalId: expect.stringMatching(UUID_V5) }),
			},
		]);
	});
});

describe('Webhook Dispatch 1.1: failing without duplicates', () => {
	it("Retry On Fail does not send delivered items again and keeps their results (n8n's HTTP Request node re-sends every item)", async () => {
		let requestsForB = 0;
		receiver = await startReceiver((request) => {
			const { event } = JSON.parse(request.body) as { event: string };
			// b fails on the node's first try and gets through on the second.
			return event === 'b' && requestsForB++ === 0 ? { status: 503 } : { status: 200, body: { ok: true } };
		});
		const run = await runWorkflow(spec(1.1, {}, { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 }));
		const { success, failure, error } = outputs(run);
		expect(error).toBeUndefined();
		expect(failure).toEqual([]);
		const requests = sent(receiver.requests);
		expect(requests.map((r) => r.event).sort()).toEqual(['a', 'b', 'b', 'c']);
		// The second request for b carries the id of the first.
		expect(new Set(requests.filter((r) => r.event === 'b').map((r) => r.id)).size).toBe(1);
		// a and c keep the result of the first try: one attempt, sent before b's second request.
		const secondTryOfB = receiver.requests.filter((r) => r.body.includes('"b"'))[1].receivedAt;
		expect(success.map((item) => item.transactionalId)).toEqual(['a', 'b', 'c'].map((event) => requests.find((r) => r.event === event)!.id));
		for (const index of [0, 2]) expect(Date.parse((success[index].attempts as Array<{ startedAt: string }>)[0].startedAt)).toBeLessThanOrEqual(secondTryOfB);
	});

	it('retrying the failed execution from the executions list re-sends every item under the id it had', async () => {
		const down = new Set(['a', 'b', 'c']);
		await startFlakyReceiver(down);
		const workflow = spec(1.1);
		const failed = await runWorkflow(workflow);
		expect(failed.status).toBe('error');
		const firstIds = sent(receiver.requests);
		expect(firstIds.map((r) => r.id)).toEqual(ITEMS.map(() => expect.stringMatching(UUID_V5)));

		down.clear();
		receiver.requests.length = 0;
		const retried = await retryExecution(workflow, failed);
		expect(retried.status).toBe('success');
		expect(sent(receiver.requests).sort((x, y) => x.event.localeCompare(y.event))).toEqual(firstIds.sort((x, y) => x.event.localeCompare(y.event)));
		expect(outputs(retried).success.map((item) => item.statusCode)).toEqual([200, 200, 200]);
	});

	it('a new execution with identical items gets new ids, and identical items in one execution differ', async () => {
		await startFlakyReceiver(new Set());
		const twins = [{ event: 'same' }, { event: 'same' }];
		const first = outputs(await runWorkflow(spec(1.1, {}, {}, twins))).success.map((item) => item.transactionalId);
		const second = outputs(await runWorkflow(spec(1.1, {}, {}, twins))).success.map((item) => item.transactionalId);
		expect(new Set([...first, ...second]).size).toBe(4);
	});

	it('an id given by expression is kept as it is', async () => {
		await startFlakyReceiver(new Set());
		const { success } = outputs(await runWorkflow(spec(1.1, { transactionalId: '={{ $json.event }}-run-1' })));
		expect(success.map((item) => item.transactionalId)).toEqual(['a-run-1', 'b-run-1', 'c-run-1']);
	});
});
