import { z } from 'zod';
import { refusedHeader } from '../http/headers';

/** The run events Currents can send to a webhook, in the order its dashboard lists them. */
export const RUN_EVENTS = ['RUN_START', 'RUN_FINISH', 'RUN_TIMEOUT', 'RUN_CANCELED'] as const;
export type RunEvent = (typeof RUN_EVENTS)[number];

export const LIMITS = { urlMax: 2048, headersMax: 4096, labelMin: 1, labelMax: 255 } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const webhookSchema = z.object({
	hookId: z.string(),
	projectId: z.string(),
	url: z.string(),
	hookEvents: z.array(z.string()).default([]),
	headers: z
		.string()
		.nullable()
		.optional()
		.transform((value) => value ?? null),
	label: z
		.string()
		.nullable()
		.optional()
		.transform((value) => value ?? null),
	createdAt: z.string().optional(),
	updatedAt: z.string().optional(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const projectSchema = z.object({ projectId: z.string(), name: z.string() }).passthrough();
export type Project = z.infer<typeof projectSchema>;

/** Every answer is wrapped; list answers may say there is another page. */
export function envelope<T extends z.ZodTypeAny>(data: T) {
	return z.object({ status: z.literal('OK'), data, has_more: z.boolean().optional() });
}
export const failureEnvelope = z.object({ status: z.string(), error: z.unknown() });

/** A field the user gave that the API would refuse; `field` is the parameter's name. */
export class InputError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

export interface WebhookInput {
	url?: string;
	hookEvents?: string[];
	headers?: Record<string, string> | null;
	label?: string | null;
}

/** The body the API takes: headers travel as a JSON object serialized into a string. */
export interface WebhookBody {
	url?: string;
	hookEvents?: RunEvent[];
	headers?: string | null;
	label?: string | null;
}

function checkUrl(url: string): string {
	if (url.length > LIMITS.urlMax) {
		throw new InputError('url', `URL is ${url.length} characters long; the API allows at most ${LIMITS.urlMax}`);
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new InputError('url', `URL "${url}" is not a valid absolute URL`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new InputError('url', `URL must start with http:// or https:// (got "${parsed.protocol}")`);
	}
	return url;
}

function checkEvents(events: string[]): RunEvent[] {
	if (events.length === 0) throw new InputError('hookEvents', 'Choose at least one event');
	for (const event of events) {
		if (!(RUN_EVENTS as readonly string[]).includes(event)) {
			throw new InputError('hookEvents', `Unknown event "${event}"; use ${RUN_EVENTS.join(', ')}`);
		}
	}
	return [...new Set(events)] as RunEvent[];
}

function checkHeaders(headers: Record<string, string>): string {
	// A header the platform would store but no HTTP client could send (e.g. a value with CR LF).
	const refused = refusedHeader(headers, 'any');
	if (refused) throw new InputError('headers', `Header ${JSON.stringify(refused.name)}: ${refused.reason}`);
	const serialized = JSON.stringify(headers);
	if (serialized.length > LIMITS.headersMax) {
		throw new InputError('headers', `Headers serialize to ${serialized.length} characters of JSON; the API allows at most ${LIMITS.headersMax}`);
	}
	return serialized;
}

function checkLabel(label: string): string {
	if (label.length < LIMITS.labelMin || label.length > LIMITS.labelMax) {
		throw new InputError('label', `Label must be ${LIMITS.labelMin} to ${LIMITS.labelMax} characters long (got ${label.length})`);
	}
	return label;
}

/** Checks a create (all of url and hookEvents) or a partial update against the API's limits. */
export function toWebhookBody(input: WebhookInput, mode: 'create' | 'update'): WebhookBody {
	const body: WebhookBody = {};
	if (input.url !== undefined) body.url = checkUrl(input.url);
	else if (mode === 'create') throw new InputError('url', 'URL is required');
	if (input.hookEvents !== undefined) body.hookEvents = checkEvents(input.hookEvents);
	else if (mode === 'create') body.hookEvents = [...RUN_EVENTS];
	if (input.headers !== undefined) body.headers = input.headers === null ? null : checkHeaders(input.headers);
	if (input.label !== undefined) body.label = input.label === null ? null : checkLabel(input.label);
	if (mode === 'update' && Object.keys(body).length === 0) {
		throw new InputError('updateFields', 'Choose at least one field to update');
	}
	return body;
}

export function checkHookId(hookId: string): string {
	if (!UUID.test(hookId)) throw new InputError('hookId', `Webhook ID "${hookId}" is not a UUID`);
	return hookId;
}

export function checkProjectId(projectId: string): string {
	if (projectId.trim() === '') throw new InputError('projectId', 'Project ID is required');
	return projectId;
}

/** Parses the headers string a webhook carries; anything unreadable is reported as empty. */
export function parseHookHeaders(headers: string | null): Record<string, string> {
	if (!headers) return {};
	try {
		const parsed: unknown = JSON.parse(headers);
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
			return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name, String(value)]));
		}
	} catch {
		// A hook edited elsewhere with malformed headers: treat as none rather than fail the read.
	}
	return {};
}
