import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import {
	checkHookId,
	checkProjectId,
	deliverRunEvent,
	InputError,
	parseHookHeaders,
	RUN_EVENTS,
	sampleRunEvent,
	runEventRequest,
	toWebhookBody,
	type PlatformApiClient,
	type RunEvent,
	type Webhook,
	type WebhookInput,
} from '../../../lib/currents';
import { transportFailureMessage } from '../../../lib/http/failureMessage';
import type { TransportError } from '../../../lib/http/transport';
import { NUMERIC_FIELDS } from '../../../lib/numericFields';
import { MASK, Redactor } from '../../../lib/redact';
import { numericOption } from '../../shared/numericOption';
import { instanceEgress } from '../../shared/instanceEgress';

export interface OperationInput {
	fn: IExecuteFunctions;
	client: PlatformApiClient;
	itemIndex: number;
	revealHeaderValues: boolean;
	timeoutMs: number;
}

type HeaderPairs = { header?: Array<{ name: string; value: string }> };

function headerPairsToObject(pairs: HeaderPairs | undefined): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const { name, value } of pairs?.header ?? []) {
		const trimmed = name.trim();
		if (trimmed === '') throw new InputError('headers', 'Every header needs a name');
		headers[trimmed] = value;
	}
	return headers;
}

/** The webhook as the node outputs it: headers parsed, values masked unless revealed. */
export function presentWebhook(hook: Webhook, revealHeaderValues: boolean): IDataObject {
	const headers = parseHookHeaders(hook.headers);
	return {
		hookId: hook.hookId,
		projectId: hook.projectId,
		url: hook.url,
		hookEvents: hook.hookEvents,
		label: hook.label,
		headers: revealHeaderValues ? headers : Object.fromEntries(Object.keys(headers).map((name) => [name, MASK])),
		createdAt: hook.createdAt ?? null,
		updatedAt: hook.updatedAt ?? null,
	};
}

function locatorValue({ fn, itemIndex }: OperationInput, name: 'projectId' | 'hookId'): string {
	const value = String(fn.getNodeParameter(name, itemIndex, '', { extractValue: true }) ?? '').trim();
	return name === 'hookId' ? checkHookId(value) : checkProjectId(value);
}

function eventsParameter(value: unknown): string[] {
	if (!Array.isArray(value)) throw new InputError('hookEvents', `Events must be a list of ${RUN_EVENTS.join(', ')}`);
	return value.map(String);
}

async function create(input: OperationInput): Promise<IDataObject[]> {
	const { fn, itemIndex } = input;
	const projectId = locatorValue(input, 'projectId');
	const extra = fn.getNodeParameter('additionalFields', itemIndex, {}) as { headers?: HeaderPairs; label?: string };
	const webhook: WebhookInput = {
		url: String(fn.getNodeParameter('url', itemIndex)).trim(),
		hookEvents: eventsParameter(fn.getNodeParameter('hookEvents', itemIndex)),
	};
	if (extra.headers !== undefined) webhook.headers = headerPairsToObject(extra.headers);
	if (extra.label !== undefined) webhook.label = extra.label;
	const hook = await input.client.createWebhook(projectId, toWebhookBody(webhook, 'create'));
	return [presentWebhook(hook, input.revealHeaderValues)];
}

async function get(input: OperationInput): Promise<IDataObject[]> {
	return [presentWebhook(await input.client.getWebhook(locatorValue(input, 'hookId')), input.revealHeaderValues)];
}

async function getAll(input: OperationInput): Promise<IDataObject[]> {
	const { fn, itemIndex } = input;
	const hooks = await input.client.listWebhooks(locatorValue(input, 'projectId'));
	const returnAll = fn.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? hooks.length : numericOption(fn, NUMERIC_FIELDS.limit, fn.getNodeParameter('limit', itemIndex, 50), itemIndex);
	return hooks.slice(0, limit).map((hook) => presentWebhook(hook, input.revealHeaderValues));
}

async function update(input: OperationInput): Promise<IDataObject[]> {
	const { fn, itemIndex } = input;
	const hookId = locatorValue(input, 'hookId');
	const fields = fn.getNodeParameter('updateFields', itemIndex, {}) as {
		url?: string;
		hookEvents?: unknown;
		headers?: HeaderPairs;
		label?: string;
		clearHeaders?: boolean;
	};
	const patch: WebhookInput = {};
	if (fields.url !== undefined) patch.url = fields.url.trim();
	if (fields.hookEvents !== undefined) patch.hookEvents = eventsParameter(fields.hookEvents);
	if (fields.label !== undefined) patch.label = fields.label;
	if (fields.clearHeaders) patch.headers = null;
	else if (fields.headers !== undefined) patch.headers = headerPairsToObject(fields.headers);
	const hook = await input.client.updateWebhook(hookId, toWebhookBody(patch, 'update'));
	return [presentWebhook(hook, input.revealHeaderValues)];
}

async function remove(input: OperationInput): Promise<IDataObject[]> {
	const hookId = locatorValue(input, 'hookId');
	await input.client.deleteWebhook(hookId);
	return [{ hookId, deleted: true }];
}

async function sendTest(input: OperationInput): Promise<IDataObject[]> {
	const { fn, itemIndex } = input;
	const hookId = locatorValue(input, 'hookId');
	const event = String(fn.getNodeParameter('event', itemIndex));
	if (!(RUN_EVENTS as readonly string[]).includes(event)) {
		throw new InputError('event', `Unknown event "${event}"; use ${RUN_EVENTS.join(', ')}`);
	}
	const hook = await input.client.getWebhook(hookId);
	const request = runEventRequest(hook, sampleRunEvent(event as RunEvent));
	// A receiver may echo the hook's header values: they are masked in the answer as in the headers.
	const redactor = new Redactor(input.revealHeaderValues ? [] : Object.values(parseHookHeaders(hook.headers)));
	let answer;
	try {
		answer = await deliverRunEvent(hook.url, request, input.timeoutMs, instanceEgress(fn.helpers));
	} catch (error) {
		const failure = error as TransportError;
		throw new NodeOperationError(
			fn.getNode(),
			transportFailureMessage(failure, {
				timeoutMs: input.timeoutMs,
				subject: `The webhook URL ${hook.url}`,
				unreachable: () => `Could not reach the webhook URL ${hook.url}`,
				blocked: () => `The webhook URL ${hook.url} is refused by this n8n instance's outbound policy`,
			}),
			{ itemIndex, description: `Check that the URL is reachable from this n8n instance (${redactor.text(failure.message)}).` },
		);
	}
	const parsed = redactor.json(answer.bodyText);
	return [
		{
			hookId,
			url: hook.url,
			event,
			success: answer.statusCode >= 200 && answer.statusCode < 300,
			statusCode: answer.statusCode,
			durationMs: answer.durationMs,
			responseBody: (parsed ? parsed.value : redactor.text(answer.bodyText)) as IDataObject,
		},
	];
}

export const webhookOperationHandlers: Record<string, (input: OperationInput) => Promise<IDataObject[]>> = {
	create,
	get,
	getAll,
	update,
	delete: remove,
	sendTest,
};
