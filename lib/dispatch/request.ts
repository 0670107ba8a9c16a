import { compileTemplate, TemplateError } from '../template';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type BodyContentType = 'json' | 'text' | 'form' | 'none';

/** What the user configured, with templates not yet rendered. */
export interface RequestTemplate {
	method: HttpMethod;
	rootUrl: string;
	path: string;
	query: Array<{ name: string; value: string }>;
	/** Integration headers first, then the node's; the node's win on a clash. */
	inheritedHeaders: Record<string, string>;
	secretHeaders: Record<string, string>;
	nodeHeaders: Array<{ name: string; value: string }>;
	excludeInheritedHeaders: string[];
	bodyContentType: BodyContentType;
	body: string;
}

export interface PreparedRequest {
	method: HttpMethod;
	url: string;
	headers: Record<string, string>;
	body?: string;
	/** Whether the receiver can recognize a repeat: only then may a request be retried. */
	carriesTransactionalId: boolean;
}

export class RequestError extends Error {
	constructor(
		readonly kind: 'template' | 'config',
		message: string,
	) {
		super(message);
		this.name = 'RequestError';
	}
}

const TRANSACTIONAL_ID_REFERENCE = /WebhookRequest\s*\.\s*TransactionalId/i;
const CONTENT_TYPES: Record<Exclude<BodyContentType, 'none'>, string> = {
	json: 'application/json',
	text: 'text/plain; charset=utf-8',
	form: 'application/x-www-form-urlencoded',
};

function render(template: string, data: object, where: string, json = false): string {
	// Plain text needs no rendering; JSON is always checked.
	if (!json && !template.includes('${') && !template.includes('@{')) return template;
	try {
		return compileTemplate(template).render(data, { json });
	} catch (error) {
		if (error instanceof TemplateError) throw new RequestError('template', `${where}: ${error.message}`);
		throw error;
	}
}

function joinUrl(rootUrl: string, path: string): string {
	if (!rootUrl) return path;
	if (!path) return rootUrl;
	return `${rootUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function formBody(rendered: string): string {
	let fields: unknown;
	try {
		fields = JSON.parse(rendered);
	} catch {
		throw new RequestError('template', 'body: a form body is written as a JSON object of field names and values');
	}
	if (!fields || typeof fields !== 'object' || Array.isArray(fields)) {
		throw new RequestError('template', 'body: a form body is written as a JSON object of field names and values');
	}
	const form = new URLSearchParams();
	for (const [name, value] of Object.entries(fields)) form.append(name, value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
	return form.toString();
}

/**
 * Renders one item's request. The data seen by templates is the item's JSON plus
 * `WebhookRequest.TransactionalId`.
 */
export function prepareRequest(template: RequestTemplate, item: object, transactionalId: string): PreparedRequest {
	const data = { ...item, WebhookRequest: { TransactionalId: transactionalId } };
	const path = render(template.path, data, 'path');
	let url: URL;
	try {
		url = new URL(joinUrl(template.rootUrl, path));
	} catch {
		throw new RequestError('config', `The URL "${joinUrl(template.rootUrl, path)}" is not valid: check the integration's Root URL and the Path`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RequestError('config', `The URL must use http or https, not ${url.protocol}`);
	for (const { name, value } of template.query) {
		if (name) url.searchParams.append(name, render(value, data, `query parameter ${name}`));
	}

	const excluded = new Set(template.excludeInheritedHeaders.map((name) => name.trim().toLowerCase()));
	const headers: Record<string, string> = {};
	const set = (name: string, value: string) => {
		for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
		headers[name] = value;
	};
	for (const [name, value] of [...Object.entries(template.inheritedHeaders), ...Object.entries(template.secretHeaders)]) {
		if (!excluded.has(name.toLowerCase())) set(name, value);
	}
	let headerCarriesId = false;
	for (const { name, value } of template.nodeHeaders) {
		if (!name) continue;
		const rendered = render(value, data, `header ${name}`);
		headerCarriesId ||= rendered === transactionalId;
		set(name, rendered);
	}

	let body: string | undefined;
	if (template.bodyContentType !== 'none' && template.method !== 'GET') {
		const rendered = render(template.body, data, 'body', template.bodyContentType !== 'text');
		body = template.bodyContentType === 'form' ? formBody(rendered) : rendered;
		if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) set('content-type', CONTENT_TYPES[template.bodyContentType]);
	}

	const templates = [template.path, template.body, ...template.query.map((q) => q.value), ...template.nodeHeaders.map((h) => h.value)];
	return {
		method: template.method,
		url: url.toString(),
		headers,
		body,
		carriesTransactionalId: headerCarriesId || templates.some((text) => TRANSACTIONAL_ID_REFERENCE.test(text)),
	};
}
