import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_EVENTS } from '../../lib/currents';
import { SOURCES, type Source } from '../../lib/sources';
import { InProcessDeliveryMemory, receiveDelivery, type ReceiveOutcome } from '../../lib/trigger';
import { forgedHeaders } from '../support/signing';
import { SIGNED_WEBHOOK_SETTINGS } from '../support/signedWebhook';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { node, NodeTypeRegistry } from '../support/engine';
import { TriggerHarness } from '../support/webhook';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
/** No single request may take longer than this, whatever it carries (a generous bound on a loaded machine). */
const BOUND_MS = 2000;

const degenerateText = fc.constantFrom('', ' ', '\t', '\r\n', 'Bearer ', 'sha256=', 'v1,', 'whsec_', '%00', '%0d%0a', '%2e%2e%2f', '\u0000', 'é', '\uFFFF', 'x'.repeat(100_000));
const text = fc.oneof(degenerateText, fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.webUrl());
const secret = fc.oneof(
	fc.constantFrom('', '   ', 'whsec_', 'short', 'a'.repeat(15), 'currents-shared-secret-1', `whsec_${Buffer.alloc(32, 5).toString('base64')}`),
	text,
);
const headerName = fc.constantFrom(
	'x-webhook-secret', 'X-Timestamp', 'authorization', 'x-autosana-signature-256', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'x-other',
	'x-signature', 'x-signature-timestamp', 'x-delivery-id',
);
const headerValue = fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.constant(undefined));
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 8 });

const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);
const body = fc.oneof(
	fc.json({ maxDepth: 6 }),
	fc.string({ maxLength: 200 }),
	fc.constantFrom(
		'',
		'null',
		'{"event": "RUN_FINISH",',
		nested(100_000, '[', ']'),
		nested(20_000, '{"a":', '}').replace(/}$/, '1}'),
		`{"event":"RUN_FINISH","runUrl":"${'%41'.repeat(50_000)}"}`,
		fixture('currents-run-finish.json'),
		fixture('maestro-upload.json'),
		fixture('autosana-batch.json'),
		fixture('signed-webhook-run.json'),
		fixture('signed-webhook-run.json').replace('1795520700', '1e20').replace('"failed"', '{"deep":[[[]]]}'),
		fixture('autosana-batch.json').replace('2025-01-31T12:34:56.789Z', 'yesterday'),
		fixture('currents-run-finish.json').replace('"RUN_FINISH"', '"RUN_\\r\\nFINISH"'),
	),
	fc.json({ maxDepth: 3 }).map((json) => `{"event":"batch.completed","timestamp":"2026-11-24T12:00:00","app":{},"summary":${json}}`),
);

function expectAnswer(outcome: ReceiveOutcome, elapsedMs: number): void {
	expect([200, 400, 401]).toContain(outcome.status);
	if (outcome.status === 200) expect(outcome.body.received).toBe(true);
	else expect(typeof outcome.body.error).toBe('string');
	if (outcome.item) expect(outcome.status).toBe(200);
	expect(elapsedMs).toBeLessThan(BOUND_MS);
}

describe('trigger requests: properties', () => {
	const memory = new InProcessDeliveryMemory();
	const nowMs = Date.UTC(2026, 10, 24, 12, 0, 0);
	const optionsFor = (source: Source, secrets: string[]) => ({
		source,
		events: [...RUN_EVENTS],
		secrets,
		secretHeaderName: 'x-webhook-secret',
		sourceParameters: SIGNED_WEBHOOK_SETTINGS,
		timestampToleranceSeconds: 300,
		deduplicationWindowSeconds: 600,
		includeRawPayload: true,
		memoryScope: 'wf:node:webhook',
		memory,
		nowMs,
	});

	it('any headers, body and secrets: only 200, 400 or 401 comes out, never an exception, in bounded time', async () => {
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...SOURCES), headers, body, fc.array(secret, { maxLength: 3 }), async (source, requestHeaders, requestBody, secrets) => {
				const start = performance.now();
				const outcome = await receiveDelivery({ headers: requestHeaders, rawBody: Buffer.from(requestBody) }, optionsFor(source, secrets));
				expectAnswer(outcome, performance.now() - start);
			}),
			{ numRuns: 600 },
		);
	});

	it('correctly signed requests with any body and secret get past the proof: the body alone decides, still only 200, 400 or 401', async () => {
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...SOURCES), body, secret, fc.string({ maxLength: 40 }), async (source, requestBody, key, id) => {
				const start = performance.now();
				const signed = forgedHeaders(source, requestBody, key, nowMs, id);
				const outcome = await receiveDelivery({ headers: signed, rawBody: Buffer.from(requestBody) }, optionsFor(source, [key, '']));
				expectAnswer(outcome, performance.now() - start);
			}),
			{ numRuns: 600 },
		);
	});

	it('through the node in n8n-core: any request to any source answers 200, 400 or 401, never a 5xx or a thrown error', async () => {
		const nodeTypes = new NodeTypeRegistry({ testRunTrigger: new TestRunTrigger() });
		const harnesses = Object.fromEntries(
			SOURCES.map((source) => {
				const trigger = node('testRunTrigger', { source, registration: 'manual', ...SIGNED_WEBHOOK_SETTINGS } as never, {
					name: 'Test Run Trigger',
					webhookId: `fuzz-${source}`,
					credentials: { testRunWebhookSecret: { id: '2', name: 'Secret' } },
				});
				return [source, new TriggerHarness(nodeTypes, trigger, { testRunWebhookSecret: { secret: 'currents-shared-secret-1', previousSecret: '' } })];
			}),
		) as Record<Source, TriggerHarness>;
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...SOURCES), headers, body, async (source, requestHeaders, requestBody) => {
				const flat = Object.fromEntries(Object.entries(requestHeaders).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
				const start = performance.now();
				const answer = await harnesses[source].deliver(flat, requestBody);
				expect([200, 400, 401]).toContain(answer.status);
				expect(performance.now() - start).toBeLessThan(BOUND_MS);
			}),
			{ numRuns: 150 },
		);
	});
});
