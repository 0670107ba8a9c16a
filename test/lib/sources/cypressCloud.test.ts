import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { receiveDelivery } from '../../../lib/trigger';
import { fixtureText } from '../../support/fixtures';
import { receiveOptions, receiverFor } from '../../support/receiveOptions';

const NOW = Date.UTC(2026, 9, 20, 9, 45, 0);
const SECONDS = Math.floor(NOW / 1000);
const CYPRESS_SECRET = 'cypress-cloud-secret-01';
const cypressExample = fixtureText('cypress-run-completed.json');

/** Cypress Cloud's recipe, written here from its docs: "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<raw body>"). */
const cypressSignature = (secret: string, timestamp: string, body: string) =>
	`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

function cypressHeaders(body: string, overrides: Record<string, string | string[] | undefined> = {}) {
	const timestamp = String(SECONDS);
	return {
		'content-type': 'application/json',
		'x-cypress-event': 'run.completed',
		'x-cypress-event-id': 'evt_318',
		'x-cypress-event-version': '1',
		'x-cypress-request-id': 'req_1',
		'x-cypress-timestamp': timestamp,
		'x-cypress-signature': cypressSignature(CYPRESS_SECRET, timestamp, body),
		...overrides,
	};
}

const optionsFor = () => receiveOptions('cypressCloud', [CYPRESS_SECRET, ''], NOW);
const receiveCypress = receiverFor('cypressCloud', [CYPRESS_SECRET, ''], NOW);

describe('Cypress Cloud (cypressCloud)', () => {
	it("normalizes the vendor's example run.completed request, signed by the vendor's recipe", async () => {
		const outcome = await receiveCypress(cypressHeaders(cypressExample), cypressExample);
		expect(outcome.status).toBe(200);
		expect(outcome.item).toEqual({
			event: 'RUN_TIMEOUT',
			source: 'cypressCloud',
			deliveryId: 'cypressCloud:evt_318',
			receivedAt: new Date(NOW).toISOString(),
			run: {
				id: '318',
				name: 'storefront-e2e #318',
				url: 'https://cloud.cypress.io/projects/ab12cd/runs/318',
				status: 'timedOut',
				startedAt: '2026-10-20T09:14:02.000Z',
				endedAt: '2026-10-20T09:44:02.000Z',
				durationMs: 1800000,
				app: { id: 'ab12cd', name: 'storefront-e2e', platform: null },
				git: {
					sha: '9f1c2e7d8a0b4c6e1f3a5b7c9d0e2f4a6b8c0d1e',
					branch: 'feature/checkout',
					author: 'Dana Lee',
					message: 'checkout: retry payment step',
					remote: null,
				},
				tags: ['nightly'],
				totals: { tests: 240, passed: 231, failed: 3, skipped: 2, pending: 4, flaky: 1, retries: null },
				failures: [],
			},
		});
	});

	it.each([
		['passed', 'RUN_FINISH', 'passed'],
		['failed', 'RUN_FINISH', 'failed'],
		['errored', 'RUN_FINISH', 'failed'],
		['timedOut', 'RUN_TIMEOUT', 'timedOut'],
		['cancelled', 'RUN_CANCELED', 'canceled'],
	])('maps status %s to %s, run status %s', async (status, event, runStatus) => {
		const body = cypressExample.replace('"timedOut"', JSON.stringify(status));
		const outcome = await receiveCypress(cypressHeaders(body), body);
		expect(outcome.item).toMatchObject({ event, run: { status: runStatus } });
	});

	it.each(['canceled', 'TIMEDOUT', 'running', '__proto__', 'constructor'])('answers an unknown status %s 200 ignored, starting nothing', async (status) => {
		const body = cypressExample.replace('"timedOut"', JSON.stringify(status));
		const outcome = await receiveCypress(cypressHeaders(body), body);
		expect(outcome).toEqual({ status: 200, body: { received: true, ignored: expect.stringContaining(JSON.stringify(status)) } });
	});

	it.each(['webhook.ping', 'run.accessibility.completed', 'run.uiCoverage.completed'])(
		'answers a genuine %s delivery 200 ignored, and a forged one 401',
		async (event) => {
			const body = event === 'webhook.ping' ? '{"message":"Webhook ping"}' : cypressExample;
			const genuine = await receiveCypress(cypressHeaders(body, { 'x-cypress-event': event }), body);
			expect(genuine).toEqual({ status: 200, body: { received: true, ignored: `X-Cypress-Event "${event}" is not a run event` } });
			const forged = {
				...cypressHeaders(body, { 'x-cypress-event': event }),
				'x-cypress-signature': cypressSignature('another-secret-0001', String(SECONDS), body),
			};
			expect((await receiveCypress(forged, body)).status).toBe(401);
		},
	);

	it.each([
		['301 s in the past', -301, /header X-Cypress-Timestamp is 301 s in the past/],
		['301 s in the future', 301, /header X-Cypress-Timestamp is 301 s in the future/],
	])('refuses a delivery signed %s with 401 (the signature itself is right)', async (_label, shift, reason) => {
		const timestamp = String(SECONDS + shift);
		const headers = cypressHeaders(cypressExample, {
			'x-cypress-timestamp': timestamp,
			'x-cypress-signature': cypressSignature(CYPRESS_SECRET, timestamp, cypressExample),
		});
		const outcome = await receiveCypress(headers, cypressExample);
		expect(outcome.status).toBe(401);
		expect(outcome.body.error).toMatch(reason);
	});

	it('accepts 300 s in the past and in the future', async () => {
		for (const shift of [-300, 300]) {
			const timestamp = String(SECONDS + shift);
			const headers = cypressHeaders(cypressExample, {
				'x-cypress-timestamp': timestamp,
				'x-cypress-signature': cypressSignature(CYPRESS_SECRET, timestamp, cypressExample),
			});
			expect((await receiveCypress(headers, cypressExample)).status).toBe(200);
		}
	});

	it('refuses a signature moved to another timestamp (the timestamp is signed)', async () => {
		const outcome = await receiveCypress(cypressHeaders(cypressExample, { 'x-cypress-timestamp': String(SECONDS - 1) }), cypressExample);
		expect(outcome).toEqual({ status: 401, body: { error: 'Unauthorized: signature in header X-Cypress-Signature does not match the body' } });
	});

	it.each([
		['X-Cypress-Signature', { 'x-cypress-signature': undefined }, 401, 'Unauthorized: missing header X-Cypress-Signature'],
		['X-Cypress-Timestamp', { 'x-cypress-timestamp': undefined }, 401, 'Unauthorized: missing header X-Cypress-Timestamp'],
		['X-Cypress-Event', { 'x-cypress-event': undefined }, 400, 'missing header X-Cypress-Event'],
		['X-Cypress-Event-Id', { 'x-cypress-event-id': undefined }, 400, 'header X-Cypress-Event-Id is missing or empty'],
	])('a delivery without %s is refused naming it', async (_name, overrides, status, error) => {
		const outcome = await receiveCypress(cypressHeaders(cypressExample, overrides), cypressExample);
		expect(outcome).toEqual({ status, body: { error } });
	});

	it('refuses a repeated signature or timestamp header as missing (ambiguous), and a non-numeric timestamp', async () => {
		const signature = cypressHeaders(cypressExample)['x-cypress-signature'];
		expect((await receiveCypress(cypressHeaders(cypressExample, { 'x-cypress-signature': [signature, signature] }), cypressExample)).body.error).toBe(
			'Unauthorized: missing header X-Cypress-Signature',
		);
		expect((await receiveCypress(cypressHeaders(cypressExample, { 'x-cypress-timestamp': [String(SECONDS), String(SECONDS)] }), cypressExample)).status).toBe(
			401,
		);
		expect((await receiveCypress(cypressHeaders(cypressExample, { 'x-cypress-timestamp': '1.8e9' }), cypressExample)).body.error).toBe(
			'Unauthorized: header X-Cypress-Timestamp is not epoch seconds',
		);
	});

	it('refuses a wrong prefix and an empty secret', async () => {
		const hex = cypressHeaders(cypressExample)['x-cypress-signature'].slice('sha256='.length);
		for (const prefix of ['', 'sha1=', 'SHA256=', 'v1=', 'sha256 ']) {
			const outcome = await receiveCypress(cypressHeaders(cypressExample, { 'x-cypress-signature': `${prefix}${hex}` }), cypressExample);
			expect(outcome.status).toBe(401);
		}
		const unsigned = cypressHeaders(cypressExample, { 'x-cypress-signature': cypressSignature('', String(SECONDS), cypressExample) });
		expect((await receiveCypress(unsigned, cypressExample, { secrets: ['', ''] })).body.error).toMatch(/credential field secret is empty/);
	});

	it('runs a replay once: the same event id, and the same body under a new event id (the id header is not signed)', async () => {
		const options = optionsFor();
		const deliver = (headers: Record<string, string>) => receiveDelivery({ headers, rawBody: Buffer.from(cypressExample) }, options);
		expect((await deliver(cypressHeaders(cypressExample))).item).toBeDefined();
		expect((await deliver(cypressHeaders(cypressExample, { 'x-cypress-request-id': 'req_2' }))).body).toEqual({ received: true, duplicate: true });
		expect((await deliver(cypressHeaders(cypressExample, { 'x-cypress-event-id': 'evt_forged_new_id' }))).body).toEqual({ received: true, duplicate: true });
	});

	it('the same event id with another body (signed anew) is a duplicate too: the first repeat settles it', async () => {
		const options = optionsFor();
		const other = cypressExample.replace('"runNumber": 318', '"runNumber":  318');
		expect(other).not.toBe(cypressExample);
		expect((await receiveDelivery({ headers: cypressHeaders(cypressExample), rawBody: Buffer.from(cypressExample) }, options)).item).toBeDefined();
		const again = await receiveDelivery({ headers: cypressHeaders(other), rawBody: Buffer.from(other) }, options);
		expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
	});

	it('reads values out of range or of the wrong type as null, never throwing', async () => {
		const body = JSON.stringify({
			status: 'passed',
			runNumber: { nested: [1] },
			createdAt: 1e20,
			completedAt: '+275760-09-13T00:00:00.001Z',
			totalDuration: -5,
			totalTests: 1e300,
			totalPassed: 2.5,
			totalFailed: '3',
			tags: null,
		});
		const outcome = await receiveCypress(cypressHeaders(body), body);
		expect(outcome.item?.run).toMatchObject({
			id: null,
			name: null,
			startedAt: null,
			endedAt: null,
			durationMs: null,
			app: { id: null, name: null, platform: null },
			git: null,
			tags: [],
			totals: { tests: null, passed: null, failed: null, skipped: null, pending: null, flaky: null, retries: null },
		});
	});

	it('answers 400 naming the field for a body without a status', async () => {
		const body = '{"runNumber": 1}';
		expect(await receiveCypress(cypressHeaders(body), body)).toEqual({
			status: 400,
			body: { error: 'Payload does not match the cypressCloud schema: status: Required' },
		});
	});
});

describe('signature header parsing: properties', () => {
	it('the Cypress signature verifies whatever the case of its hex digits, and never with any other timestamp', async () => {
		const timestamp = String(SECONDS);
		const signature = cypressSignature(CYPRESS_SECRET, timestamp, cypressExample);
		await fc.assert(
			fc.asyncProperty(fc.boolean(), fc.integer({ min: -300, max: 300 }), async (upper, shift) => {
				const digits = upper ? signature.slice(7).toUpperCase() : signature.slice(7);
				const stamp = String(SECONDS + shift);
				const outcome = await receiveDelivery(
					{
						headers: cypressHeaders(cypressExample, { 'x-cypress-timestamp': stamp, 'x-cypress-signature': `sha256=${digits}` }),
						rawBody: Buffer.from(cypressExample),
					},
					optionsFor(),
				);
				expect(outcome.status).toBe(shift === 0 ? 200 : 401);
			}),
		);
	});
});
