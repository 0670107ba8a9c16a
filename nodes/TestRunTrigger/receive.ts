import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { RunEvent } from '../../lib/currents';
import type { Source } from '../../lib/normalize';
import { readRedisSettings, REDIS_CREDENTIAL, RedisDeliveryMemory, redisPool } from '../../lib/redis';
import { InProcessDeliveryMemory, type DeliveryMemory } from '../../lib/trigger/deduplication';
import { receiveDelivery } from '../../lib/trigger/receive';
import { derivedSecret, isAutomaticRegistration, secretHeaderName } from './settings';

const SECRET_CREDENTIAL = 'testRunWebhookSecret';

const DERIVED_SECRET_MISMATCH =
	"This trigger's secret is derived from the Currents API key: if the key was changed, the webhook on Currents still carries the old secret. Activate the workflow again (or restart n8n) and the trigger re-syncs its webhook.";

/** Deliveries seen by the triggers of this n8n process. */
const deliveryMemory = new InProcessDeliveryMemory();

/** The secrets a delivery may prove itself with: derived (automatic Currents) or the credential's. */
async function acceptedSecrets(fn: IWebhookFunctions): Promise<string[]> {
	if (isAutomaticRegistration(fn)) return [await derivedSecret(fn)];
	const { secret, previousSecret } = await fn.getCredentials<{ secret?: string; previousSecret?: string }>(SECRET_CREDENTIAL);
	return [secret ?? '', previousSecret ?? ''];
}

/** The Redis credential's shared memory when one is attached, else this process's. */
async function sharedMemory(fn: IWebhookFunctions): Promise<{ memory: DeliveryMemory; release: () => void } | { error: string }> {
	if (!fn.getNode().credentials?.[REDIS_CREDENTIAL]) return { memory: deliveryMemory, release: () => {} };
	try {
		const settings = readRedisSettings(await fn.getCredentials(REDIS_CREDENTIAL));
		const { client, release } = redisPool.acquire(settings);
		return { memory: new RedisDeliveryMemory(client, settings), release };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

export async function receiveWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as ReturnType<IWebhookFunctions['getRequestObject']> & { rawBody?: Buffer };
	const response = this.getResponseObject();
	const source = this.getNodeParameter('source') as Source;
	const options = this.getNodeParameter('options', {}) as {
		timestampToleranceSeconds?: number;
		deduplicationWindowSeconds?: number;
		includeRawPayload?: boolean;
	};
	const answer = (status: number, body: Record<string, unknown>): IWebhookResponseData => {
		response.status(status).json(body);
		return { noWebhookResponse: true };
	};

	// Signatures cover the bytes as sent; without them nothing can be verified.
	const rawBody = Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
	if (!rawBody) return answer(400, { error: 'The request body could not be read as raw bytes' });

	let secrets: string[];
	try {
		secrets = await acceptedSecrets(this);
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
	const outcome = await receiveDelivery(
		{ headers: request.headers, rawBody },
		{
			source,
			events: this.getNodeParameter('events', []) as RunEvent[],
			secrets,
			secretHeaderName: secretHeaderName(this),
			timestampToleranceSeconds: options.timestampToleranceSeconds ?? 300,
			deduplicationWindowSeconds: options.deduplicationWindowSeconds ?? 600,
			includeRawPayload: options.includeRawPayload ?? true,
			// getMode() is 'manual' on the test URL and 'webhook' on the production URL.
			memoryScope: `${this.getWorkflow().id ?? ''}:${this.getNode().id}:${this.getMode()}`,
			memory: shared.memory,
			secretMismatchHint: isAutomaticRegistration(this) ? DERIVED_SECRET_MISMATCH : undefined,
		},
	).finally(shared.release);
	if (outcome.cause) {
		this.logger.warn(`Test Run Trigger: delivery answered ${outcome.status}: ${outcome.cause}`);
		response.setHeader('Retry-After', '5');
	}
	const answered = answer(outcome.status, outcome.body);
	if (!outcome.item) return answered;
	// The answer is already sent (n8n 1.x and 2.x treat webhookResponse differently); the
	// item is plain JSON (strings, numbers, null, arrays, objects).
	return { ...answered, workflowData: [[{ json: outcome.item as unknown as IDataObject }]] };
}
