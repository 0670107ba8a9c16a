import { createHmac } from 'node:crypto';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { SIGNED_WEBHOOK_PARAMETERS, SIGNED_WEBHOOK_RUN_FIELDS } from '../../lib/sources/signedWebhook';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { SIGNED_WEBHOOK_SETTINGS } from '../support/signedWebhook';
import { secretTriggerHarness } from '../support/triggerHarness';

const description = new TestRunTrigger().description;
const SECRET = 'a-sender-signing-secret';

/** A sender that signs `<id>.<ms timestamp>.<body>` with HMAC-SHA512, base64, after `v1=`. */
const SHA512_SETTINGS = {
	...SIGNED_WEBHOOK_SETTINGS,
	signatureHeader: 'X-Hub-Sig',
	signatureAlgorithm: 'sha512',
	signatureEncoding: 'base64',
	signaturePrefix: 'v1=',
	signedContent: '{id}.{timestamp}.{body}',
	timestampHeader: 'X-Sent-At',
	deliveryIdHeader: 'X-Event-Id',
	eventField: 'event.kind',
	runStartValues: 'started',
	runFinishValues: 'completed',
	runTimeoutValues: '',
	runCanceledValues: 'aborted',
	statusField: 'event.outcome',
	failedValues: 'red',
	runFields: { id: 'event.runs.0.number', url: 'event.link' },
};

function sha512Headers(body: string, id: string, atMs = Date.now(), secret = SECRET): Record<string, string> {
	const stamp = String(atMs);
	const signature = createHmac('sha512', secret).update(`${id}.${stamp}.${body}`).digest('base64');
	return { 'content-type': 'application/json', 'X-Hub-Sig': `v1=${signature}`, 'X-Sent-At': stamp, 'X-Event-Id': id };
}

const harnessWith = (settings: IDataObject) => secretTriggerHarness({ source: 'signedWebhook', ...settings }, { secret: SECRET });

describe('Test Run Trigger, source signedWebhook, in n8n-core', () => {
	const body = JSON.stringify({ event: { kind: 'completed', outcome: 'red', link: 'https://ci.example.com/r/12', runs: [{ number: 12 }] } });

	it('SHA-512, base64, {id}.{timestamp}.{body} with a millisecond timestamp: one execution with the mapped item', async () => {
		const harness = harnessWith(SHA512_SETTINGS);
		expect(await harness.deliver(sha512Headers(body, 'evt_1'), body)).toEqual({ status: 200, body: { received: true } });
		expect(harness.executions).toHaveLength(1);
		expect(harness.lastItem()).toMatchObject({
			event: 'RUN_FINISH',
			source: 'signedWebhook',
			deliveryId: 'signedWebhook:evt_1',
			run: { id: '12', url: 'https://ci.example.com/r/12', status: 'failed', name: null, git: null },
			raw: JSON.parse(body),
		});
	});

	it('refuses a forged, a stale or a replayed delivery and starts nothing more', async () => {
		const harness = harnessWith(SHA512_SETTINGS);
		expect((await harness.deliver(sha512Headers(body, 'evt_2', Date.now(), `${SECRET}-forged`), body)).status).toBe(401);
		expect((await harness.deliver(sha512Headers(body, 'evt_2', Date.now() - 301_000), body)).status).toBe(401);
		expect((await harness.deliver(sha512Headers(body, 'evt_2'), body)).status).toBe(200);
		expect((await harness.deliver(sha512Headers(body, 'evt_2'), body)).body).toEqual({ received: true, duplicate: true });
		expect(harness.executions).toHaveLength(1);
	});

	it('answers a ping 200 ignored with a valid proof, 401 with a wrong one', async () => {
		const harness = harnessWith(SHA512_SETTINGS);
		const ping = JSON.stringify({ event: { kind: 'ping' } });
		expect(await harness.deliver(sha512Headers(ping, 'evt_p'), ping)).toEqual({
			status: 200,
			body: { received: true, ignored: 'body field event.kind holds a value configured for no run event' },
		});
		expect((await harness.deliver(sha512Headers(ping, 'evt_q', Date.now(), 'another-secret-entirely'), ping)).status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});

	it('a trigger left without its event field refuses every delivery, naming the parameter', async () => {
		const harness = harnessWith({ ...SHA512_SETTINGS, eventField: '' });
		const answer = await harness.deliver(sha512Headers(body, 'evt_3'), body);
		expect(answer).toEqual({
			status: 401,
			body: { error: 'Unauthorized: the parameter Event Field (eventField) is empty; this trigger refuses every request until it is set' },
		});
		expect(harness.executions).toHaveLength(0);
	});

	it('a trigger with only the source chosen refuses every delivery, naming the signature header', async () => {
		const harness = harnessWith({});
		const answer = await harness.deliver(sha512Headers(body, 'evt_4'), body);
		expect(answer.status).toBe(401);
		expect((answer.body as { error: string }).error).toMatch(/Signature Header \(signatureHeader\) is empty/);
	});
});

describe('the signedWebhook parameters in the editor', () => {
	const properties = description.properties.filter((property) => property.displayOptions?.show?.source?.includes('signedWebhook'));
	const named = (name: string) => properties.find((property) => property.name === name) as INodeProperties;

	it('are shown only for signedWebhook, with the names the refusals use', () => {
		const settings = properties.filter((property) => property.type !== 'notice' && property.name !== 'productionUrlNotice');
		expect(settings.map((property) => property.name).sort()).toEqual(Object.keys(SIGNED_WEBHOOK_PARAMETERS).sort());
		for (const property of settings) {
			expect(property.displayOptions?.show?.source).toEqual(['signedWebhook']);
			expect(property.displayName).toBe(SIGNED_WEBHOOK_PARAMETERS[property.name as keyof typeof SIGNED_WEBHOOK_PARAMETERS]);
		}
		expect(named('signatureHeader').required).toBe(true);
		expect(named('eventField').required).toBe(true);
	});

	it('offer the algorithms, encodings and signed contents the source checks, SHA-256 hex over the body by default', () => {
		const values = (name: string) => (named(name).options as Array<{ value: string }>).map((option) => option.value);
		expect(values('signatureAlgorithm')).toEqual(['sha256', 'sha512', 'sha1']);
		expect(values('signatureEncoding')).toEqual(['hex', 'base64']);
		expect(values('signedContent')).toEqual(['{body}', '{timestamp}.{body}', '{id}.{timestamp}.{body}']);
		expect([named('signatureAlgorithm').default, named('signatureEncoding').default, named('signedContent').default]).toEqual(['sha256', 'hex', '{body}']);
	});

	it('say that SHA-1 is the weaker choice when it is picked', () => {
		const notice = named('sha1Notice');
		expect(notice.displayOptions).toEqual({ show: { source: ['signedWebhook'], signatureAlgorithm: ['sha1'] } });
		expect(notice.displayName).toMatch(/SHA-1 is the weaker choice/);
	});

	it('collect the run fields the source reads', () => {
		const options = named('runFields').options as INodeProperties[];
		expect(options.map((option) => option.name).sort()).toEqual([...SIGNED_WEBHOOK_RUN_FIELDS].sort());
	});
});
