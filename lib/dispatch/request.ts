import { refusedHeader } from '../http/headers';
import { compileTemplate, TemplateError, type RenderOptions } from '../template';

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
	/** Standard Webhooks signing is on: every request then carries `webhook-id` = the transactional id. */
	signed: boolean;
}

export interface PreparedRequest {
	method: HttpMethod;
	url: string;
	headers: Record<string, string>;
	body?: string;
	/**
	 * Whether the receiver can recognize a repeat, so the request may be retried: the request is
	 * signed (`webhook-id`), or the transactional id's value is in what was rendered into it.
	 */
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

/** A "." or ".." path segment, also percent-encoded: URL parsers resolve both, climbing out of the root URL's path. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
const CONTENT_TYPES: Record<Exclude<BodyContentType, 'none'>, string> = {
	json: 'application/json',
	text: 'text/plain; charset=utf-8',
	form: 'application/x-www-form-urlencoded',
};

function render(template: string, data: object, where: string, options: RenderOptions = {}): string {
	// Plain text needs no rendering; JSON is always checked.
	if (!options.json && !template.includes('${') && !template.includes('@{')) return template;
	try {
		return compileTemplate(template).render(data, options);
	} catch (error) {
		if (error instanceof TemplateError) throw new RequestError('template', `${where}: ${error.message}`);
		throw error;
	}
}

/**
 * A templated value in the path is content of one segment: "/", "?", "#", "%" and the like are
 * percent-encoded, so a value cannot add segments, a query or a fragment.
 */
const encodePathSegment = (value: string) => encodeURIComponent(value);

/** The path, rendered: templated values encoded, and no "." or ".." segment (refused, as it would climb out of the root URL). */
function renderPath(template: string, data: object): string {
	const path = render(template, data, 'path', { encodeOutput: encodePathSegment });
	const pathOnly = path.split(/[?#]/, 1)[0];
	if (pathOnly.split(/[/\\]/).some((segment) => DOT_SEGMENT.test(segment))) {
		throw new RequestError('template', 'path: a "." or ".." segment would leave the root URL; use values that name a resource');
	}
	return path;
}

/** Whether the id's value is in any of the rendered texts, as is, path-encoded or JSON-escaped. */
function containsId(id: string, rendered: string[]): boolean {
	const forms = [id, encodePathSegment(id), JSON.stringify(id).slice(1, -1)];
	return rendered.some((text) => forms.some((form) => text.includes(form)));
}

/** Adds query text after what the URL has, leaving what is there byte for byte (a signed or tokenized query stays valid). */
function appendQuery(url: URL, query: string): void {
	if (query) url.search = url.search ? `${url.search}&${query}` : query;
}

/**
 * The root URL with the path joined into its path, one slash between. The root's query (Google
 * Chat's `?key=…&token=…`) stays intact, the path's own query follows it; a fragment in the
 * path is dropped (it is never sent). Without a root URL the path is the whole URL.
 */
function joinUrl(rootUrl: string, path: string): URL {
	const written = rootUrl || path;
	let url: URL;
	try {
		url = new URL(written);
	} catch {
		throw new RequestError('config', `The URL "${written}" is not valid: check the integration's Root URL and the Path`);
	}
	if (!rootUrl || !path) return url;
	const end = path.search(/[?#]/);
	const pathOnly = end === -1 ? path : path.slice(0, end);
	if (pathOnly) url.pathname = `${url.pathname.replace(/\/+$/, '')}/${pathOnly.replace(/^[/\\]+/, '')}`;
	if (path[end] === '?') appendQuery(url, path.slice(end + 1).split('#', 1)[0]);
	return url;
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
	for (const [name, value] of Object.entries(fields))
		form.append(name, value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
	return form.toString();
}

/**
 * Renders one item's request. The data seen by templates is the item's JSON plus
 * `WebhookRequest.TransactionalId`.
 */
export function prepareRequest(template: RequestTemplate, item: object, transactionalId: string): PreparedRequest {
	const data = { ...item, WebhookRequest: { TransactionalId: transactionalId } };
	const path = renderPath(template.path, data);
	const url = joinUrl(template.rootUrl, path);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RequestError('config', `The URL must use http or https, not ${url.protocol}`);
	const queryValues: string[] = [];
	const query = new URLSearchParams();
	for (const { name, value } of template.query) {
		if (!name) continue;
		const rendered = render(value, data, `query parameter ${name}`);
		queryValues.push(rendered);
		query.append(name, rendered);
	}
	appendQuery(url, query.toString());

	const excluded = new Set(template.excludeInheritedHeaders.map((name) => name.trim().toLowerCase()));
	const headers: Record<string, string> = {};
	const set = (name: string, value: string) => {
		for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
		headers[name] = value;
	};
	for (const [name, value] of [...Object.entries(template.inheritedHeaders), ...Object.entries(template.secretHeaders)]) {
		if (!excluded.has(name.toLowerCase())) set(name, value);
	}
	for (const { name, value } of template.nodeHeaders) {
		if (name) set(name, render(value, data, `header ${name}`));
	}

	let body: string | undefined;
	let renderedBody = '';
	if (template.bodyContentType !== 'none' && template.method !== 'GET') {
		renderedBody = render(template.body, data, 'body', { json: template.bodyContentType !== 'text' });
		body = template.bodyContentType === 'form' ? formBody(renderedBody) : renderedBody;
		if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) set('content-type', CONTENT_TYPES[template.bodyContentType]);
	}
	// A header a client would refuse: the item is wrong, so nothing is sent and nothing retried.
	const refused = refusedHeader(headers, { bytes: Buffer.byteLength(body ?? '') });
	if (refused) throw new RequestError('template', `header ${JSON.stringify(refused.name)}: ${refused.reason}; nothing was sent`);

	return {
		method: template.method,
		url: url.toString(),
		headers,
		body,
		carriesTransactionalId: template.signed || containsId(transactionalId, [path, ...queryValues, ...Object.values(headers), renderedBody]),
	};
}
