import { prepareRequest, RequestError, type RequestTemplate } from '../../../lib/dispatch';
import { requestTemplate } from '../../support/requestTemplate';

// lib/dispatch/request.ts: URL joining, query, headers, body and content type of a prepared request.
const TX = 'tx-7f3a9c21';


const prepare = (overrides: Partial<RequestTemplate>, item: object = {}, tx = TX) => prepareRequest(requestTemplate(overrides), item, tx);

function refusal(overrides: Partial<RequestTemplate>, item: object = {}): RequestError {
	try {
		prepare(overrides, item);
	} catch (error) {
		if (error instanceof RequestError) return error;
		throw error;
	}
	throw new Error('prepared without an error');
}

describe('the URL: root URL and path joined by exactly one slash', () => {
	it.each([
		['http://127.0.0.1:1/api', '', 'http://127.0.0.1:1/api'],
		['http://127.0.0.1:1/api', 'x/y', 'http://127.0.0.1:1/api/x/y'],
		['http://127.0.0.1:1/api//', 'x', 'http://127.0.0.1:1/api/x'],
		['http://127.0.0.1:1/api', '//x', 'http://127.0.0.1:1/api/x'],
		['http://127.0.0.1:1/api/', '/x/', 'http://127.0.0.1:1/api/x/'],
		['', 'https://hooks.example.com/in', 'https://hooks.example.com/in'],
	])('%j + %j → %s', (rootUrl, path, url) => {
		expect(prepare({ rootUrl, path }).url).toBe(url);
	});

	it('an https root URL is accepted', () => {
		expect(prepare({ rootUrl: 'https://hooks.example.com' }).url).toBe('https://hooks.example.com/');
	});

	it('a URL that is not http(s) is refused as a configuration error naming the protocol', () => {
		const error = refusal({ rootUrl: 'ftp://files.example.com' });
		expect(error.kind).toBe('config');
		expect(error.message).toBe('The URL must use http or https, not ftp:');
	});

	it('a URL that does not parse is refused as a configuration error quoting it', () => {
		const error = refusal({ rootUrl: '', path: 'no-scheme/x' });
		expect(error.kind).toBe('config');
		expect(error.message).toBe(`The URL "no-scheme/x" is not valid: check the integration's Root URL and the Path`);
	});

	it('a "." segment is refused with a message that says why', () => {
		expect(refusal({ path: '/a/./b' }).message).toBe('path: a "." or ".." segment would leave the root URL; use values that name a resource');
	});

	it('a template error in the path names the path', () => {
		const error = refusal({ path: '/x/${ id' });
		expect(error.kind).toBe('template');
		expect(error.message).toMatch(/^path: /);
	});
});

describe('a root URL with a query string (issue 24 item 9)', () => {
	const GOOGLE_CHAT = 'https://chat.googleapis.com/v1/spaces/AAA/messages?key=AIza-k%3D&token=t0k%2Ben';

	it('joins the path into the URL path and keeps the root query byte for byte', () => {
		expect(prepare({ rootUrl: GOOGLE_CHAT, path: 'threads' }).url).toBe('https://chat.googleapis.com/v1/spaces/AAA/messages/threads?key=AIza-k%3D&token=t0k%2Ben');
	});

	it.each([
		// the root's query first, then the path's own, then the Query Parameters
		['https://h.test/in?a=1', '/x?b=2', [{ name: 'c', value: '3' }], 'https://h.test/in/x?a=1&b=2&c=3'],
		['https://h.test/in?a=1', '', [{ name: 'c', value: 'x y' }], 'https://h.test/in?a=1&c=x+y'],
		// characters form encoding would rewrite (",", "~", "%7E", "+") are left as the root has them
		['https://h.test/in?sig=a,b~c%7E+d', 'x', [{ name: 'n', value: '1' }], 'https://h.test/in/x?sig=a,b~c%7E+d&n=1'],
		['https://h.test/in?', 'x', [], 'https://h.test/in/x?'],
		['https://h.test/in?a=1#frag', 'x', [], 'https://h.test/in/x?a=1#frag'],
		// a fragment in the path is never sent: dropped
		['https://h.test/in?a=1', 'x#frag', [], 'https://h.test/in/x?a=1'],
		['https://h.test/in?a=1', 'x?b=2#frag', [], 'https://h.test/in/x?a=1&b=2'],
		['https://h.test/in?a=1', '?b=2', [], 'https://h.test/in?a=1&b=2'],
	])('%j + %j + %j → %s', (rootUrl, path, query, url) => {
		expect(prepare({ rootUrl, path, query }).url).toBe(url);
	});

	it('a templated value is one path segment: "?", "&", "#" and "/" in it are encoded, the root query is untouched', () => {
		expect(prepare({ rootUrl: 'https://h.test/in?token=t', path: 'runs/${ id }' }, { id: 'a/b?c=d&e#f' }).url).toBe('https://h.test/in/runs/a%2Fb%3Fc%3Dd%26e%23f?token=t');
	});

	it.each([
		// leading slashes and backslashes never make the path a host of its own
		['//evil.example/x', 'https://h.test/in/evil.example/x?k=1'],
		['\\\\evil.example\\x', 'https://h.test/in/evil.example/x?k=1'],
		// double slashes inside the path are kept as written
		['a//b', 'https://h.test/in/a//b?k=1'],
		// percent-encoded octets stay encoded, "%2F" is not a separator
		['a%2Fb/%2e%2e%2fadmin', 'https://h.test/in/a%2Fb/%2e%2e%2fadmin?k=1'],
		['caf\u00e9 bar', 'https://h.test/in/caf%C3%A9%20bar?k=1'],
	])('path %j → %s', (path, url) => {
		const prepared = prepare({ rootUrl: 'https://h.test/in?k=1', path });
		expect(prepared.url).toBe(url);
		expect(new URL(prepared.url).origin).toBe('https://h.test');
	});

	it.each(['../admin', '%2e%2e/admin', 'a/%2E/b', 'x/..?k=2', '..\\admin'])('a dot segment in %j is still refused', (path) => {
		expect(refusal({ rootUrl: 'https://h.test/in?k=1', path }).message).toMatch(/^path: a "\." or "\.\." segment/);
	});
});

describe('query parameters', () => {
	it('are rendered and appended in order; an unnamed row is left out', () => {
		const prepared = prepare({ query: [{ name: 'a', value: '${ v }' }, { name: '', value: 'dropped' }, { name: 'b', value: 'plain' }] }, { v: 'x y' });
		expect(prepared.url).toBe('http://127.0.0.1:1/api?a=x+y&b=plain');
	});

	it('a template error names the parameter', () => {
		expect(refusal({ query: [{ name: 'q', value: '${ v' }] }).message).toMatch(/^query parameter q: /);
	});

	it('a statement-only value (@{ }) is rendered, not sent as written', () => {
		const prepared = prepare({ query: [{ name: 'q', value: '@{ if flag }on@{ else }off@{ end if }' }] }, { flag: true });
		expect(prepared.url).toBe('http://127.0.0.1:1/api?q=on');
	});

	it('a plain value holding neither ${ nor @{ is sent as written', () => {
		expect(prepare({ query: [{ name: 'q', value: '$ {a} @ {b}' }] }).url).toBe('http://127.0.0.1:1/api?q=%24+%7Ba%7D+%40+%7Bb%7D');
	});
});

describe('headers', () => {
	it('integration, secret and node headers together; the later wins on a clash whatever its case', () => {
		const prepared = prepare({
			bodyContentType: 'none',
			inheritedHeaders: { 'X-Team': 'qa', 'X-Env': 'dev' },
			secretHeaders: { Authorization: 'Bearer 0123456789abcdef' },
			nodeHeaders: [{ name: 'x-env', value: 'prod' }],
		});
		expect(prepared.headers).toEqual({ 'X-Team': 'qa', Authorization: 'Bearer 0123456789abcdef', 'x-env': 'prod' });
	});

	it('excluded inherited headers are left out, names matched trimmed and without regard to case', () => {
		const prepared = prepare({
			bodyContentType: 'none',
			inheritedHeaders: { 'X-Team': 'qa', 'X-Env': 'dev' },
			secretHeaders: { Authorization: 'Bearer 0123456789abcdef' },
			excludeInheritedHeaders: [' x-team ', 'AUTHORIZATION'],
		});
		expect(prepared.headers).toEqual({ 'X-Env': 'dev' });
	});

	it('excluding applies to inherited headers only: a node header of that name is sent', () => {
		const prepared = prepare({ bodyContentType: 'none', inheritedHeaders: { 'X-Team': 'qa' }, excludeInheritedHeaders: ['X-Team'], nodeHeaders: [{ name: 'X-Team', value: 'dev' }] });
		expect(prepared.headers).toEqual({ 'X-Team': 'dev' });
	});

	it('a node header row without a name is left out', () => {
		expect(prepare({ bodyContentType: 'none', nodeHeaders: [{ name: '', value: 'v' }] }).headers).toEqual({});
	});

	it('node header values are rendered; a template error names the header', () => {
		expect(prepare({ bodyContentType: 'none', nodeHeaders: [{ name: 'X-Id', value: '${ WebhookRequest.TransactionalId }' }] }).headers).toEqual({ 'X-Id': TX });
		expect(refusal({ nodeHeaders: [{ name: 'X-Id', value: '${ id' }] }).message).toMatch(/^header X-Id: /);
	});

	it('a header a client would refuse is named, quoted as JSON, and the message says nothing was sent', () => {
		expect(refusal({ nodeHeaders: [{ name: 'X-Note', value: 'a\nb' }] }).message).toMatch(/^header "X-Note": .*; nothing was sent$/);
	});
});

describe('the body and its content type', () => {
	it.each([
		['json', 'application/json'],
		['text', 'text/plain; charset=utf-8'],
		['form', 'application/x-www-form-urlencoded'],
	] as const)('%s sets content-type %s when no header gives one', (bodyContentType, contentType) => {
		expect(prepare({ bodyContentType, body: '{"a": 1}' }).headers).toEqual({ 'content-type': contentType });
	});

	it('a content type given by a header is kept, whatever its case, and not doubled', () => {
		const prepared = prepare({ nodeHeaders: [{ name: 'Content-Type', value: 'application/vnd.api+json' }], body: '{"a": 1}' });
		expect(prepared.headers).toEqual({ 'Content-Type': 'application/vnd.api+json' });
	});

	it('a content type from another header name is not mistaken for one', () => {
		const prepared = prepare({ nodeHeaders: [{ name: 'X-Content-Type', value: 'text/csv' }] });
		expect(prepared.headers).toEqual({ 'X-Content-Type': 'text/csv', 'content-type': 'application/json' });
	});

	it('none: no body and no content type', () => {
		const prepared = prepare({ bodyContentType: 'none', body: '{"a": 1}' });
		expect(prepared.body).toBeUndefined();
		expect(prepared.headers).toEqual({});
	});

	it('GET: no body and no content type', () => {
		const prepared = prepare({ method: 'GET', body: '{"a": 1}' });
		expect(prepared.body).toBeUndefined();
		expect(prepared.headers).toEqual({});
	});

	it('json: a body that is not JSON is refused even without any template in it, naming the body', () => {
		const error = refusal({ body: '{"a": 1,}' });
		expect(error.kind).toBe('template');
		expect(error.message).toMatch(/^body: /);
	});

	it('text: any text is sent as it is rendered', () => {
		expect(prepare({ bodyContentType: 'text', body: 'hello ${ name }, {not json' }, { name: 'Ada' }).body).toBe('hello Ada, {not json');
	});

	it('form: a JSON object becomes URL-encoded fields (null empty, objects as JSON, the rest as text)', () => {
		const prepared = prepare({ bodyContentType: 'form', body: '{"a": "x y", "n": 3, "b": true, "z": null, "o": {"k": 1}, "l": [1]}' });
		expect(prepared.body).toBe('a=x+y&n=3&b=true&z=&o=%7B%22k%22%3A1%7D&l=%5B1%5D');
	});

	it.each([['[1, 2]'], ['"text"'], ['3'], ['null']])('form: %s is refused, it must be a JSON object', (body) => {
		const error = refusal({ bodyContentType: 'form', body });
		expect(error.kind).toBe('template');
		expect(error.message).toBe('body: a form body is written as a JSON object of field names and values');
	});
});

describe('the transactional id in JSON-escaped form', () => {
	it('an id with a quote rendered inside a JSON string counts', () => {
		const prepared = prepare({ body: '{"note": "id=${ WebhookRequest.TransactionalId }"}' }, {}, 'tx"1');
		expect(prepared.body).toBe('{"note": "id=tx\\"1"}');
		expect(prepared.carriesTransactionalId).toBe(true);
	});
});

describe('what a refusal is', () => {
	it('a dot segment and a header a client would refuse are template errors (the item is wrong), named RequestError', () => {
		for (const error of [refusal({ path: '/a/../b' }), refusal({ nodeHeaders: [{ name: 'X-Note', value: 'a\nb' }] })]) {
			expect(error.kind).toBe('template');
			expect(error.name).toBe('RequestError');
		}
	});

	it('an error thrown while the template reads the item fails the item as a template error naming the field', () => {
		// Nested, so that it is read while rendering, not while the item is copied.
		const item = {
			run: {
				get broken(): string {
					throw new TypeError('getter failed');
				},
			},
		};
		const error = refusal({ bodyContentType: 'none', nodeHeaders: [{ name: 'X-B', value: '${ run.broken }' }] }, item);
		expect(error.kind).toBe('template');
		expect(error.message).toMatch(/^header X-B: .*getter failed/);
	});
});
