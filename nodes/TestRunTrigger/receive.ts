import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { RunEvent } from '../../lib/currents';
import type { Source } from '../../lib/sources';
import { NUMERIC_FIELDS, readNumericField } from '../../lib/numericFields';
import { readRedisSettings, REDIS_CREDENTIAL, RedisDeliveryMemory, type RedisSettings } from '../../lib/redis';
import {
	CoalescedCredentialReader,
	SECRET_FRESHNESS_SECONDS,
	InProcessDeliveryMemory,
	receiveDelivery,
	type DeliveryMemory,
	type ReceiveOptions,
	type ReceiveOutcome,
	type CredentialRead,
} from '../../lib/trigger';
import { PLATFORM_CREDENTIAL } from '../shared/platform';
import { redisOrInProcess, type Leased } from '../shared/redisOrInProcess';
import { derivedSecret, isAutomaticRegistration, secretHeaderName } from './settings';
import { signedWebhookParameters } from './signedWebhook';

const SECRET_CREDENTIAL = 'testRunWebhookSecret';

const DERIVED_SECRET_MISMATCH =
	"This trigger's secret is derived from the Currents API key: if the key was changed, the webhook on Currents still carries the old secret. Activate the workflow again (or restart n8n) and the trigger re-syncs its webhook.";

/** Deliveries seen by the triggers of this n8n process. */
const deliveryMemory = new InProcessDeliveryMemory();

/**
 * The credential reads of this process's triggers (see CoalescedCredentialReader). The same list
 * instance is handed out until the credential changes, so the verifiers' per-list preparation
 * (hashed secrets, decoded keys) is done once per credential change.
 */
const secretReader = new CoalescedCredentialReader<readonly string[]>({ prepare: (secrets) => Object.freeze([...secrets]) });

/**
 * A credential of this trigger through `reader`, from a read at most `maxAgeSeconds` old; on
 * the Test URL (getMode() 'manual') always a fresh one. One scope per trigger (a derived
 * secret depends on workflow and node) and attached credential.
 */
async function recentRead<Read, Prepared>(
	fn: IWebhookFunctions,
	reader: CoalescedCredentialReader<Read, Prepared>,
	{ credentialType, read, maxAgeSeconds }: { credentialType: string; read: () => Promise<Read>; maxAgeSeconds: number },
): Promise<CredentialRead<Prepared>> {
	const node = fn.getNode();
	const scope = `${fn.getWorkflow().id ?? ''}:${node.id}:${node.webhookId ?? ''}:${credentialType}:${node.credentials?.[credentialType]?.id ?? ''}`;
	return await reader.recent(scope, read, fn.getMode() === 'manual' ? 0 : maxAgeSeconds * 1000);
}

/**
 * The secrets a delivery may prove itself with: derived (automatic Currents) or the
 * credential's, from a read at most `maxAgeSeconds` old (on the Test URL always a fresh one).
 */
async function acceptedSecrets(fn: IWebhookFunctions, automatic: boolean, maxAgeSeconds: number): Promise<CredentialRead<readonly string[]>> {
	const read = async () => {
		if (automatic) return [await derivedSecret(fn)];
		const { secret, previousSecret } = await fn.getCredentials<{ secret?: string; previousSecret?: string }>(SECRET_CREDENTIAL);
		return [secret ?? '', previousSecret ?? ''];
	};
	return await recentRead(fn, secretReader, { credentialType: automatic ? PLATFORM_CREDENTIAL : SECRET_CREDENTIAL, read, maxAgeSeconds });
}

type RawRequest = ReturnType<IWebhookFunctions['getRequestObject']> & { rawBody?: Buffer; readRawBody?: () => Promise<void> };

/**
 * The request's bytes as sent. n8n reads them for node version 1 always, and from 1.1 on only
 * for JSON, text, form and XML content types; for any other, read them here (n8n's own reader).
 */
async function rawBodyOf(request: RawRequest): Promise<Buffer | undefined> {
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') {
		try {
			await request.readRawBody();
		} catch {
			return undefined;
		}
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

/**
 * The Redis credential's settings, read as the secret is (a read costs n8n an expression
 * sandbox too): on the Production URL at most every SECRET_FRESHNESS_SECONDS.accepted per
 * trigger, fresh on the Test URL.
 */
const redisSettingsReader = new CoalescedCredentialReader<RedisSettings>({ prepare: (settings) => settings });

async function recentRedisSettings(fn: IWebhookFunctions): Promise<RedisSettings> {
	const read = async () => readRedisSettings(await fn.getCredentials(REDIS_CREDENTIAL));
	return (await recentRead(fn, redisSettingsReader, { credentialType: REDIS_CREDENTIAL, read, maxAgeSeconds: SECRET_FRESHNESS_SECONDS.accepted })).value;
}

/** The Redis credential's shared memory when one is attached, else this process's. */
async function sharedMemory(fn: IWebhookFunctions): Promise<Leased<DeliveryMemory> | { error: string }> {
	try {
		return await redisOrInProcess<DeliveryMemory>(
			fn,
			{ redis: (client, settings) => new RedisDeliveryMemory(client, settings), inProcess: () => deliveryMemory },
			async () => await recentRedisSettings(fn),
		);
	} catch (error) {
		return { error: (error as Error).message };
	}
}

type Answer = (status: number, body: Record<string, unknown>) => IWebhookResponseData;

/** Answers the request itself (n8n then sends nothing more). */
function answerWith(response: ReturnType<IWebhookFunctions['getResponseObject']>): Answer {
	return (status, body) => {
		response.status(status).json(body);
		return { noWebhookResponse: true };
	};
}

type DeliveryOptions = Pick<ReceiveOptions, 'timestampToleranceSeconds' | 'deduplicationWindowSeconds' | 'includeRawPayload'>;

/**
 * The trigger's options. Out of range: clamped, and said in the log (a webhook call has no
 * output pane). Not a number: the trigger is misconfigured (thrown, naming the field).
 */
function deliveryOptions(fn: IWebhookFunctions): DeliveryOptions {
	const options = fn.getNodeParameter('options', {}) as {
		timestampToleranceSeconds?: unknown;
		deduplicationWindowSeconds?: unknown;
		includeRawPayload?: boolean;
	};
	const tolerance = readNumericField(NUMERIC_FIELDS.timestampToleranceSeconds, options.timestampToleranceSeconds);
	const window = readNumericField(NUMERIC_FIELDS.deduplicationWindowSeconds, options.deduplicationWindowSeconds);
	for (const notice of [tolerance.notice, window.notice]) if (notice) fn.logger.warn(`Test Run Trigger: ${notice}`);
	return { timestampToleranceSeconds: tolerance.value, deduplicationWindowSeconds: window.value, includeRawPayload: options.includeRawPayload ?? true };
}

/** What receiveDelivery needs from the node: its parameters, the secrets and the memory. */
function receiveOptions(
	fn: IWebhookFunctions,
	shared: { options: DeliveryOptions; secrets: readonly string[]; automatic: boolean; memory: DeliveryMemory },
): ReceiveOptions {
	const source = fn.getNodeParameter('source') as Source;
	return {
		...shared.options,
		source,
		events: fn.getNodeParameter('events', []) as RunEvent[],
		secrets: shared.secrets,
		secretHeaderName: secretHeaderName(fn),
		sourceParameters: source === 'signedWebhook' ? signedWebhookParameters(fn) : undefined,
		// getMode() is 'manual' on the test URL and 'webhook' on the production URL.
		memoryScope: `${fn.getWorkflow().id ?? ''}:${fn.getNode().id}:${fn.getMode()}`,
		memory: shared.memory,
		secretMismatchHint: shared.automatic ? DERIVED_SECRET_MISMATCH : undefined,
	};
}

/**
 * A refusal by a read older than SECRET_FRESHNESS_SECONDS.refused is judged again by a newer
 * one, so a secret just added to the credential is not refused for long. Refusals do not
 * touch the deduplication memory, so judging twice records nothing twice.
 */
async function judgedByCurrentSecrets(
	fn: IWebhookFunctions,
	{
		secrets,
		automatic,
		judge,
	}: { secrets: CredentialRead<readonly string[]>; automatic: boolean; judge: (secrets: readonly string[]) => Promise<ReceiveOutcome> },
): Promise<ReceiveOutcome> {
	const outcome = await judge(secrets.value);
	if (outcome.status !== 401 || Date.now() - secrets.startedAt <= SECRET_FRESHNESS_SECONDS.refused * 1000) return outcome;
	let newer: readonly string[];
	try {
		newer = (await acceptedSecrets(fn, automatic, SECRET_FRESHNESS_SECONDS.refused)).value;
	} catch {
		return outcome;
	}
	return newer === secrets.value ? outcome : await judge(newer);
}

/** One request: options → raw bytes → secrets → deduplication memory → receiveDelivery → the answer. */
export async function receiveWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as RawRequest;
	const response = this.getResponseObject();
	const answer = answerWith(response);

	let options: DeliveryOptions;
	try {
		options = deliveryOptions(this);
	} catch (error) {
		// Answered 500 naming the field, so the sender retries once the trigger is fixed.
		this.logger.error(`Test Run Trigger: ${(error as Error).message}`);
		return answer(500, { error: `The trigger is misconfigured: ${(error as Error).message}` });
	}

	// Signatures cover the bytes as sent; without them nothing can be verified.
	const rawBody = await rawBodyOf(request);
	if (!rawBody) return answer(400, { error: 'The request body could not be read as raw bytes' });

	const automatic = isAutomaticRegistration(this);
	let secrets: CredentialRead<readonly string[]>;
	try {
		secrets = await acceptedSecrets(this, automatic, SECRET_FRESHNESS_SECONDS.accepted);
	} catch {
		// No credential attached: fail closed without saying more to the caller.
		return answer(401, { error: 'Unauthorized: no secret is configured for this trigger' });
	}
	const shared = await sharedMemory(this);
	if ('error' in shared) {
		this.logger.warn(`Test Run Trigger: deduplication unavailable: ${shared.error}`);
		response.setHeader('Retry-After', '5');
		return answer(503, { error: 'Deduplication is unavailable, the delivery was not accepted; retry later' });
	}
	const judge = async (accepted: readonly string[]) =>
		await receiveDelivery({ headers: request.headers, rawBody }, receiveOptions(this, { options, secrets: accepted, automatic, memory: shared.value }));
	const outcome = await judgedByCurrentSecrets(this, { secrets, automatic, judge }).finally(shared.release);
	if (outcome.cause) {
		this.logger.warn(`Test Run Trigger: delivery answered ${outcome.status}: ${outcome.cause}`);
		response.setHeader('Retry-After', '5');
	}
	// Refused, ignored, a duplicate or unavailable: answered at once, nothing to start.
	if (!outcome.item) return answer(outcome.status, outcome.body);
	// Accepted: n8n sends this 200 answer itself, on 2.x once the execution is registered (as
	// for its Webhook node: a sender faster than the workflows then waits instead of piling up
	// executions), on 1.x at once. The item is plain JSON (strings, numbers, null, arrays, objects).
	return { webhookResponse: outcome.body, workflowData: [[{ json: outcome.item as unknown as IDataObject }]] };
}
