import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ICredentialsDecrypted, type ICredentialTestFunctions } from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';
import type { Source } from '../../lib/sources';
import { TestRunTrigger } from '../../nodes/TestRunTrigger/TestRunTrigger.node';
import { WebhookDispatch } from '../../nodes/WebhookDispatch/WebhookDispatch.node';
import { startReceiver, type LoopbackServer } from '../../tools/httpServer';
import { itemsInto, node, NodeTypeRegistry, runWorkflow } from '../support/engine';
import { newStandardSecret, senderHeaders } from '../support/signing';
import { TriggerHarness } from '../support/webhook';

/**
 * One secret policy (lib/verify prepareSecrets), seen through each of its users: a trigger
 * request is answered 401 naming the field and the reason, the credential test says the same,
 * Webhook Dispatch stops with a NodeOperationError naming its Signing Secret.
 */
const key32 = Buffer.alloc(32, 0xfb); // base64 "+/v7…": both characters the URL-safe alphabet replaces
const goodKey = `whsec_${key32.toString('base64')}`;
const REMEDY = { longer: 'set to a longer secret', corrected: 'corrected' };

type Rule = [label: string, secret: string, problem: string, remedy: string];

/** Unusable Standard Webhooks secrets: value, what is wrong, and how the refusal ends. */
const SIGNING_KEY_RULES: Rule[] = [
	['an empty whsec_ key', 'whsec_', 'holds less than 16 bytes of key material (nothing follows whsec_)', REMEDY.longer],
	['a 15-byte key', `whsec_${Buffer.alloc(15, 1).toString('base64')}`, 'holds less than 16 bytes of key material', REMEDY.longer],
	['a key that is not base64 (the URL-safe alphabet)', goodKey.replace(/\+/g, '-').replace(/\//g, '_'), 'has a key that is not base64', REMEDY.corrected],
	['text that decodes to nothing', 'whsec_!!!!!!!!!!!!!!!!!!!!!!!!', 'holds less than 16 bytes of key material (its key is not base64)', REMEDY.longer],
];
/** Unusable text secrets. */
const TEXT_RULES: Rule[] = [
	['an empty secret', '', 'is empty', REMEDY.longer],
	['15 bytes of text', 'fifteen-bytes!!', 'holds less than 16 bytes of key material', REMEDY.longer],
];

const rulesFor = (sources: Source[], rules: Rule[]): Array<[Source, ...Rule]> =>
	sources.flatMap((source) => rules.map((rule): [Source, ...Rule] => [source, ...rule]));

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
const BODY: Partial<Record<Source, string>> = {
	standardWebhooks: fixture('currents-run-finish.json'),
	gitlab: fixture('gitlab-pipeline.json'),
	maestro: fixture('maestro-upload.json'),
};

describe('the trigger: a request is refused 401 naming the credential field and what is wrong', () => {
	const nodeTypes = new NodeTypeRegistry({ testRunTrigger: new TestRunTrigger() });
	let counter = 0;
	async function deliver(source: Source, secret: string, signer: string) {
		const trigger = node('testRunTrigger', { source, registration: 'manual', events: ['RUN_FINISH', 'RUN_TIMEOUT'] } as never, {
			name: 'Test Run Trigger',
			webhookId: `secret-policy-${++counter}`,
			credentials: { testRunWebhookSecret: { id: `s${counter}`, name: 'Secret' } },
		});
		const harness = new TriggerHarness(nodeTypes, trigger, { testRunWebhookSecret: { secret, previousSecret: '' } });
		const body = BODY[source]!;
		return await harness.deliver(senderHeaders(source, body, signer, Date.now()), body);
	}

	it.each(rulesFor(['standardWebhooks', 'gitlab'], SIGNING_KEY_RULES))(
		'%s with %s, even for a delivery signed by the standardwebhooks package',
		async (source, _label, secret, problem, remedy) => {
			// Signed with a genuine key (the valid form of the same key where there is one).
			const signer = secret.includes('-') ? goodKey : newStandardSecret();
			expect(await deliver(source, secret, signer)).toEqual({
				status: 401,
				body: { error: `Unauthorized: the credential field secret ${problem}; this trigger refuses every request until it is ${remedy}` },
			});
		},
	);

	it.each(rulesFor(['maestro', 'gitlab'], TEXT_RULES))('%s with %s, even for a request proven with it', async (source, _label, secret, problem, remedy) => {
		expect(await deliver(source, secret, secret)).toEqual({
			status: 401,
			body: { error: `Unauthorized: the credential field secret ${problem}; this trigger refuses every request until it is ${remedy}` },
		});
	});

	it('the valid form of the same key is accepted (the refusals above are the policy, not the signature)', async () => {
		expect((await deliver('standardWebhooks', goodKey, goodKey)).status).toBe(200);
	});
});

describe("the trigger's credential test says what the trigger would refuse, in the same words", () => {
	const secretTest = new TestRunTrigger().methods.credentialTest.testRunWebhookSecretTest;
	const test = async (data: Record<string, unknown>) =>
		await secretTest.call({} as ICredentialTestFunctions, { id: '1', name: 'c', type: 't', data } as ICredentialsDecrypted);

	it.each([...SIGNING_KEY_RULES, ...TEXT_RULES])('%s', async (_label, secret, problem, remedy) => {
		await expect(test({ secret })).resolves.toEqual({
			status: 'Error',
			message: `The secret ${problem}: the trigger refuses every request until it is ${remedy}`,
		});
		await expect(test({ secret: goodKey, previousSecret: secret || 'x' })).resolves.toEqual({
			status: 'Error',
			message: `The previousSecret ${secret ? problem : 'holds less than 16 bytes of key material'}: the trigger refuses every request until it is ${secret ? remedy : REMEDY.longer}`,
		});
	});

	it('a secret that is not text counts as empty; an empty previousSecret means there is none', async () => {
		await expect(test({ secret: 12345678901234567890 })).resolves.toEqual({
			status: 'Error',
			message: 'The secret is empty: the trigger refuses every request until it is set to a longer secret',
		});
		await expect(test({ secret: goodKey, previousSecret: '  ' })).resolves.toEqual({ status: 'OK', message: 'The secret is usable' });
	});
});

describe('Webhook Dispatch refuses an unusable Signing Secret before sending anything', () => {
	const nodeTypes = new NodeTypeRegistry({ webhookDispatch: new WebhookDispatch() });
	let receiver: LoopbackServer;
	afterEach(async () => await receiver?.close());

	async function dispatch(signingSecret: string) {
		receiver = await startReceiver();
		const target = node('webhookDispatch', { method: 'POST', bodyContentType: 'json', body: '{}' } as never, {
			name: 'Dispatch',
			credentials: { webhookIntegration: { id: 'integration-1', name: 'Receiver' } },
		});
		const run = await runWorkflow({
			...itemsInto(target, [{}]),
			nodeTypes,
			startNode: 'Items',
			credentials: { webhookIntegration: { rootUrl: receiver.url, rateLimitPerSecond: 0, signingSecret, timeoutSeconds: 5, blockPrivateNetworks: false } },
		});
		return run.data.resultData.error;
	}

	it.each(SIGNING_KEY_RULES)('%s: a NodeOperationError naming "Signing Secret", nothing sent', async (_label, secret, problem) => {
		const error = await dispatch(secret);
		// n8n-core's own copy of n8n-workflow made it: compared by name, not by class.
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(`Webhook Integration credential: Signing Secret ${problem}`);
		expect(receiver.requests).toHaveLength(0);
	});

	it.each(SIGNING_KEY_RULES)('%s: the credential test says the same', async (_label, secret, problem) => {
		const integrationTest = new WebhookDispatch().methods.credentialTest.webhookIntegrationTest;
		await expect(
			integrationTest.call(
				{} as ICredentialTestFunctions,
				{ id: '1', name: 'c', type: 't', data: { rootUrl: 'https://h.example.com', signingSecret: secret } } as ICredentialsDecrypted,
			),
		).resolves.toEqual({ status: 'Error', message: `Signing Secret ${problem}` });
	});

	it('a 16-byte key signs, and the standardwebhooks package verifies what was sent', async () => {
		const secret = `whsec_${Buffer.alloc(16, 5).toString('base64')}`;
		expect(await dispatch(secret)).toBeUndefined();
		const [request] = receiver.requests;
		expect(new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).toEqual({});
	});
});
