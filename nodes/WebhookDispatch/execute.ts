import { setTimeout as wait } from 'node:timers/promises';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import {
	deliver,
	integrationSecrets,
	mapWithConcurrency,
	notSent,
	prepareRequest,
	presentResult,
	RateLimiterRegistry,
	readIntegration,
	RequestError,
	type BodyContentType,
	type Clock,
	type DispatchResult,
	type HttpMethod,
	type Limiter,
	type Integration,
	type RequestTemplate,
	type ResponseFormat,
} from '../../lib/dispatch';
import { NUMERIC_FIELDS } from '../../lib/numericFields';
import { Redactor } from '../../lib/redact';
import { readRedisSettings, REDIS_CREDENTIAL, redisPool, RedisRateLimiter } from '../../lib/redis';
import { timerDelay } from '../../lib/timers';
import { instanceEgress } from '../shared/instanceEgress';
import { addNotices, numericOption } from '../shared/numericOption';
import { defaultTransactionalId } from './defaultTransactionalId';
import { deliveredEarlier } from './deliveredItems';
import { settle } from './settle';

const INTEGRATION_CREDENTIAL = 'webhookIntegration';

/** Rate limits live for the n8n process, shared by all nodes using the same credential. */
const rateLimiters = new RateLimiterRegistry();
/** Its waits end early when the execution is stopped, so no timer outlives the execution. */
const clock: Clock = { now: () => Date.now(), sleep: (ms, signal) => wait(timerDelay(ms), undefined, { signal }).catch(() => undefined) };

type Pairs = { parameter?: Array<{ name: string; value: string }> };

export async function executeDispatch(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	let integration: Integration;
	try {
		integration = readIntegration(await this.getCredentials<IDataObject>(INTEGRATION_CREDENTIAL));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Webhook Integration credential: ${(error as Error).message}`);
	}
	addNotices(this, integration.notices);
	const redactor = new Redactor(integrationSecrets(integration));
	const limiterKey = this.getNode().credentials?.[INTEGRATION_CREDENTIAL]?.id ?? integration.rootUrl;
	const options = this.getNodeParameter('options', 0, {}) as {
		concurrency?: unknown;
		maxRetries?: unknown;
		retryWindowSeconds?: unknown;
		responseFormat?: ResponseFormat;
		redirect?: { redirect?: { followRedirects?: boolean; maxRedirects?: unknown } };
	};
	const redirect = options.redirect?.redirect;
	const format = options.responseFormat ?? 'auto';
	const secretHeaderNames = Object.keys(integration.secretHeaders);
	const defaultId = defaultTransactionalId(this);
	const earlierDelivery = deliveredEarlier(this);
	const egress = instanceEgress(this.helpers);
	const retryWindowMs = numericOption(this, NUMERIC_FIELDS.retryWindowSeconds, options.retryWindowSeconds) * 1000;
	const maxRetries = numericOption(this, NUMERIC_FIELDS.maxRetries, options.maxRetries);
	const concurrency = numericOption(this, NUMERIC_FIELDS.concurrency, options.concurrency);
	const maxRedirects = redirect?.followRedirects ? numericOption(this, NUMERIC_FIELDS.maxRedirects, redirect.maxRedirects) : 0;
	// Stop (or the workflow's timeout) aborts it: no request starts after that, and no wait goes on.
	const signal = this.getExecutionCancelSignal();

	// With the Redis credential, one limit for every n8n process; without it, this process's.
	let limiter: Limiter | undefined;
	let releaseRedis = () => {};
	if (integration.rateLimitPerSecond > 0) {
		if (this.getNode().credentials?.[REDIS_CREDENTIAL]) {
			let settings;
			try {
				settings = readRedisSettings(await this.getCredentials(REDIS_CREDENTIAL));
			} catch (error) {
				throw new NodeOperationError(this.getNode(), (error as Error).message);
			}
			const lease = redisPool.acquire(settings);
			releaseRedis = lease.release;
			limiter = new RedisRateLimiter(lease.client, settings, limiterKey, integration.rateLimitPerSecond, clock, retryWindowMs);
		} else {
			limiter = rateLimiters.get(limiterKey, integration.rateLimitPerSecond, clock);
		}
	}

	const results = await mapWithConcurrency(items, concurrency, async (item, itemIndex): Promise<DispatchResult> => {
		const transactionalId = String(this.getNodeParameter('transactionalId', itemIndex, '') ?? '').trim() || defaultId(itemIndex, item);
		const delivered = earlierDelivery(itemIndex, transactionalId);
		if (delivered) return delivered;
		const method = this.getNodeParameter('method', itemIndex) as HttpMethod;
		const template: RequestTemplate = {
			method,
			rootUrl: integration.rootUrl,
			path: this.getNodeParameter('path', itemIndex, '') as string,
			query: (this.getNodeParameter('queryParameters', itemIndex, {}) as Pairs).parameter ?? [],
			inheritedHeaders: integration.headers,
			secretHeaders: integration.secretHeaders,
			nodeHeaders: (this.getNodeParameter('headers', itemIndex, {}) as Pairs).parameter ?? [],
			excludeInheritedHeaders: (this.getNodeParameter('excludeInheritedHeaders', itemIndex, []) as string[]) ?? [],
			bodyContentType: this.getNodeParameter('bodyContentType', itemIndex, 'json') as BodyContentType,
			body: this.getNodeParameter('body', itemIndex, '') as string,
			signed: Boolean(integration.signingSecret),
		};
		let prepared;
		try {
			prepared = prepareRequest(template, item.json, transactionalId);
		} catch (error) {
			// Not the item's fault (a bug, an exhausted resource): fail the node, never quoting a secret.
			if (!(error instanceof RequestError)) throw new NodeOperationError(this.getNode(), redactor.text(String((error as Error)?.message ?? error)), { itemIndex });
			// Nothing was sent: the item leaves by Failure with the template's error.
			return presentResult(notSent('template', error.message), { method, url: '', headers: {} }, transactionalId, secretHeaderNames, redactor, format);
		}
		const outcome = await deliver(
			prepared,
			transactionalId,
			{
				maxRetries,
				retryWindowMs,
				timeoutMs: integration.timeoutMs,
				signingSecret: integration.signingSecret || undefined,
				blockPrivateNetworks: integration.blockPrivateNetworks,
				instanceEgress: egress,
				redirects: redirect?.followRedirects ? { maxRedirects, secretHeaderNames } : undefined,
			},
			{ clock, limiter, signal },
		);
		return presentResult(outcome, prepared, transactionalId, secretHeaderNames, redactor, format);
	}).finally(releaseRedis);

	return settle(this, results);
}
