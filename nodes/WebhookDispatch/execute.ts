import { setTimeout as wait } from 'node:timers/promises';
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import {
	deliver,
	integrationSecrets,
	mapWithConcurrency,
	notSent,
	prepareRequest,
	RateLimiterRegistry,
	readIntegration,
	RequestError,
	resultPresenter,
	type BodyContentType,
	type Clock,
	type DeliveryDeps,
	type DeliveryPolicy,
	type DispatchResult,
	type HttpMethod,
	type Integration,
	type Limiter,
	type RequestTemplate,
	type ResponseFormat,
	type ResultPresenter,
} from '../../lib/dispatch';
import { NUMERIC_FIELDS } from '../../lib/numericFields';
import { Redactor } from '../../lib/redact';
import { RedisRateLimiter } from '../../lib/redis';
import { timerDelay } from '../../lib/timers';
import { decodeStandardWebhooksKey } from '../../lib/verify';
import { instanceEgress } from '../shared/instanceEgress';
import { addNotices, numericOption } from '../shared/numericOption';
import { redisOrInProcess, type Leased } from '../shared/redisOrInProcess';
import { defaultTransactionalId } from './defaultTransactionalId';
import { deliveredEarlier } from './deliveredItems';
import { settle } from './settle';

const INTEGRATION_CREDENTIAL = 'webhookIntegration';

/** Rate limits live for the n8n process, shared by all nodes using the same credential. */
const rateLimiters = new RateLimiterRegistry();
/** Its waits end early when the execution is stopped, so no timer outlives the execution. */
const clock: Clock = { now: () => Date.now(), sleep: (ms, signal) => wait(timerDelay(ms), undefined, { signal }).catch(() => undefined) };

type Pairs = { parameter?: Array<{ name: string; value: string }> };

type DispatchOptions = {
	concurrency?: unknown;
	maxRetries?: unknown;
	retryWindowSeconds?: unknown;
	responseFormat?: ResponseFormat;
	redirect?: { redirect?: { followRedirects?: boolean; maxRedirects?: unknown } };
};

/** What every item of one run shares, read once before the first item. */
interface DispatchRun {
	integration: Integration;
	redactor: Redactor;
	/** The item's Transactional ID parameter, or the default one when it is empty. */
	transactionalId: (itemIndex: number, item: INodeExecutionData) => string;
	deliveredEarlier: (itemIndex: number, transactionalId: string) => DispatchResult | undefined;
	concurrency: number;
	policy: DeliveryPolicy;
	present: ResultPresenter;
}

export async function executeDispatch(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const integration = await readIntegrationCredential(this);
	addNotices(this, integration.notices);
	const run = readRun(this, integration);
	// Stop (or the workflow's timeout) aborts it: no request starts after that, and no wait goes on.
	const signal = this.getExecutionCancelSignal();
	const limiter = await rateLimiter(this, integration, run.policy.retryWindowMs);
	const deps: DeliveryDeps = { clock, limiter: limiter.value, signal };
	const dispatchOne = async (item: INodeExecutionData, itemIndex: number) => await dispatchItem(this, run, deps, item, itemIndex);
	const results = await mapWithConcurrency(items, run.concurrency, dispatchOne).finally(limiter.release);
	return settle(this, results);
}

async function readIntegrationCredential(fn: IExecuteFunctions): Promise<Integration> {
	try {
		return readIntegration(await fn.getCredentials<IDataObject>(INTEGRATION_CREDENTIAL));
	} catch (error) {
		throw new NodeOperationError(fn.getNode(), `Webhook Integration credential: ${(error as Error).message}`);
	}
}

/** The node's options over the integration's settings; a numeric option out of range is said in a hint. */
function readRun(fn: IExecuteFunctions, integration: Integration): DispatchRun {
	const options = fn.getNodeParameter('options', 0, {}) as DispatchOptions;
	const redirect = options.redirect?.redirect;
	const secretHeaderNames = Object.keys(integration.secretHeaders);
	const redactor = new Redactor(integrationSecrets(integration));
	const defaultId = defaultTransactionalId(fn);
	const earlierDelivery = deliveredEarlier(fn);
	const egress = instanceEgress(fn.helpers);
	const retryWindowMs = numericOption(fn, NUMERIC_FIELDS.retryWindowSeconds, options.retryWindowSeconds) * 1000;
	const maxRetries = numericOption(fn, NUMERIC_FIELDS.maxRetries, options.maxRetries);
	const concurrency = numericOption(fn, NUMERIC_FIELDS.concurrency, options.concurrency);
	const maxRedirects = redirect?.followRedirects ? numericOption(fn, NUMERIC_FIELDS.maxRedirects, redirect.maxRedirects) : 0;
	return {
		integration,
		redactor,
		transactionalId: (itemIndex, item) => String(fn.getNodeParameter('transactionalId', itemIndex, '') ?? '').trim() || defaultId(itemIndex, item),
		deliveredEarlier: earlierDelivery,
		concurrency,
		policy: {
			maxRetries,
			retryWindowMs,
			timeoutMs: integration.timeoutMs,
			// Decoded once here: every attempt of every item signs with it.
			signingSecret: integration.signingSecret ? decodeStandardWebhooksKey(integration.signingSecret).key : undefined,
			blockPrivateNetworks: integration.blockPrivateNetworks,
			instanceEgress: egress,
			redirects: redirect?.followRedirects ? { maxRedirects, secretHeaderNames } : undefined,
		},
		present: resultPresenter({ secretHeaderNames, redactor, format: options.responseFormat ?? 'auto' }),
	};
}

/**
 * The integration's rate limit, if it has one: with the Redis credential, one limit for every
 * n8n process (a Redis outage is waited out for at most the retry window); without it, this process's.
 */
async function rateLimiter(fn: IExecuteFunctions, integration: Integration, retryWindowMs: number): Promise<Leased<Limiter | undefined>> {
	const ratePerSecond = integration.rateLimitPerSecond;
	if (!(ratePerSecond > 0)) return { value: undefined, release: () => {} };
	const limiterKey = fn.getNode().credentials?.[INTEGRATION_CREDENTIAL]?.id ?? integration.rootUrl;
	try {
		return await redisOrInProcess<Limiter>(fn, {
			redis: (client, settings) => new RedisRateLimiter({ client, settings, limiterKey, ratePerSecond, clock, unavailableWaitMs: retryWindowMs }),
			inProcess: () => rateLimiters.get(limiterKey, ratePerSecond, clock),
		});
	} catch (error) {
		throw new NodeOperationError(fn.getNode(), (error as Error).message);
	}
}

/** One item: its earlier result when a previous try delivered it, else its request prepared and delivered. */
async function dispatchItem(fn: IExecuteFunctions, run: DispatchRun, deps: DeliveryDeps, item: INodeExecutionData, itemIndex: number): Promise<DispatchResult> {
	const transactionalId = run.transactionalId(itemIndex, item);
	const delivered = run.deliveredEarlier(itemIndex, transactionalId);
	if (delivered) return delivered;
	const template = requestTemplate(fn, itemIndex, run.integration);
	let prepared;
	try {
		prepared = prepareRequest(template, item.json, transactionalId);
	} catch (error) {
		// Not the item's fault (a bug, an exhausted resource): fail the node, never quoting a secret.
		if (!(error instanceof RequestError))
			throw new NodeOperationError(fn.getNode(), run.redactor.text(String((error as Error)?.message ?? error)), { itemIndex });
		// Nothing was sent: the item leaves by Failure with the template's error.
		return run.present(notSent('template', error.message), { method: template.method, url: '', headers: {} }, transactionalId);
	}
	const outcome = await deliver(prepared, transactionalId, run.policy, deps);
	return run.present(outcome, prepared, transactionalId);
}

/** An item's request as the node's parameters describe it, on the integration's root URL and headers. */
function requestTemplate(fn: IExecuteFunctions, itemIndex: number, integration: Integration): RequestTemplate {
	return {
		method: fn.getNodeParameter('method', itemIndex) as HttpMethod,
		rootUrl: integration.rootUrl,
		path: fn.getNodeParameter('path', itemIndex, '') as string,
		query: (fn.getNodeParameter('queryParameters', itemIndex, {}) as Pairs).parameter ?? [],
		inheritedHeaders: integration.headers,
		secretHeaders: integration.secretHeaders,
		nodeHeaders: (fn.getNodeParameter('headers', itemIndex, {}) as Pairs).parameter ?? [],
		excludeInheritedHeaders: (fn.getNodeParameter('excludeInheritedHeaders', itemIndex, []) as string[]) ?? [],
		bodyContentType: fn.getNodeParameter('bodyContentType', itemIndex, 'json') as BodyContentType,
		body: fn.getNodeParameter('body', itemIndex, '') as string,
		signed: Boolean(integration.signingSecret),
	};
}
