import { prepareRequest, RequestError, type RequestTemplate, deliver, type DeliveryPolicy } from '../../../lib/dispatch';
import { requestTemplate, preparationRefusal } from '../../support/requestTemplate';
import { FakeClock } from '../../support/fakeClock';
import { startLoopbackServer, type LoopbackServer, startReceiver } from '../../../tools/httpServer';
import { InputError, runEventRequest, sampleRunEvent, toWebhookBody } from '../../../lib/currents';
import { sendHttp } from '../../../lib/http/transport';

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
		expect(prepare({ rootUrl: GOOGLE_CHAT, path: 'threads' }).url).toBe(
			'https://chat.googleapis.com/v1/spaces/AAA/messages/threads?key=AIza-k%3D&token=t0k%2Ben',
		);
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
		expect(prepare({ rootUrl: 'https://h.test/in?token=t', path: 'runs/${ id }' }, { id: 'a/b?c=d&e#f' }).url).toBe(
			'https://h.test/in/runs/a%2Fb%3Fc%3Dd%26e%23f?token=t',
		);
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
		const prepared = prepare(
			{
				query: [
					{ name: 'a', value: '${ v }' },
					{ name: '', value: 'dropped' },
					{ name: 'b', value: 'plain' },
				],
			},
			{ v: 'x y' },
		);
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
		const prepared = prepare({
			bodyContentType: 'none',
			inheritedHeaders: { 'X-Team': 'qa' },
			excludeInheritedHeaders: ['X-Team'],
			nodeHeaders: [{ name: 'X-Team', value: 'dev' }],
		});
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

describe('prepareRequest: paths, refused header values, the transactional id', () => {
	const TX = 'tx-7f3a9c21';

	const refusal = (overrides: Partial<RequestTemplate>, item: object = {}) => preparationRefusal(requestTemplate(overrides), item, TX);

	const policy: DeliveryPolicy = { maxRetries: 3, retryWindowMs: 360_000, timeoutMs: 5000, blockPrivateNetworks: false };

	let receiver: LoopbackServer | undefined;
	afterEach(async () => {
		await receiver?.close();
		receiver = undefined;
	});

	describe('templated path values stay inside the root URL', () => {
		// Each value as it arrives at a loopback receiver: the exact request target it records.
		const cases: Array<[value: string, target: string]> = [
			['../admin', '/api/hooks/..%2Fadmin'],
			['%2e%2e/%2e%2e/admin', '/api/hooks/%252e%252e%2F%252e%252e%2Fadmin'],
			['x?admin=1', '/api/hooks/x%3Fadmin%3D1'],
			['x#frag', '/api/hooks/x%23frag'],
			['a/b', '/api/hooks/a%2Fb'],
			['back\\slash', '/api/hooks/back%5Cslash'],
			['run 1 é', '/api/hooks/run%201%20%C3%A9'],
		];

		it.each(cases)('%j arrives as %s', async (value, target) => {
			receiver = await startLoopbackServer((_request, res) => void res.end('{}'));
			const prepared = prepareRequest(requestTemplate({ rootUrl: `${receiver.url}/api`, path: '/hooks/${ id }' }), { id: value }, TX);
			expect((await deliver(prepared, TX, policy, { clock: new FakeClock() })).success).toBe(true);
			expect(receiver.requests.map((request) => request.url)).toEqual([target]);
		});

		it.each(['..', '.'])('a value that makes a whole %j segment is refused, naming path', (value) => {
			const error = refusal({ path: '/hooks/${ id }/x' }, { id: value });
			expect(error.message).toMatch(/^path: a "\." or "\.\." segment would leave the root URL/);
		});

		it.each(['/hooks/../admin', '/hooks/%2E%2e/admin', '/hooks/.%2e', '/hooks\\..\\admin'])(
			'a dot segment written in the path itself (%s) is refused too',
			(path) => {
				expect(refusal({ path }).message).toMatch(/^path: /);
			},
		);

		it('dots inside a segment are content, not navigation', () => {
			const prepared = prepareRequest(requestTemplate({ path: '/files/${ name }' }), { name: '...x..' }, TX);
			expect(prepared.url).toBe('http://127.0.0.1:1/api/files/...x..');
		});
	});

	describe('header values a client would refuse fail the item before anything is sent', () => {
		it.each([
			['a CR LF rendered from a template', { nodeHeaders: [{ name: 'X-Note', value: '${ note }' }] }, /^header "X-Note": the value contains a line break/],
			['a bare LF from the integration headers', { inheritedHeaders: { 'X-Team': 'qa\nX-Injected: 1' } }, /^header "X-Team": the value contains a line break/],
			[
				'a CR in a secret header, not quoted',
				{ secretHeaders: { Authorization: 'Bearer abcdefgh\r' } },
				/^header "Authorization": the value contains a line break/,
			],
			['a NUL', { nodeHeaders: [{ name: 'X-Nul', value: 'a\u0000b' }] }, /^header "X-Nul": the value contains a control or non-Latin-1 character/],
			[
				'a character beyond Latin-1',
				{ nodeHeaders: [{ name: 'X-Emoji', value: 'ok 🚀' }] },
				/^header "X-Emoji": the value contains a control or non-Latin-1 character/,
			],
			['a header name with a space', { nodeHeaders: [{ name: 'X Bad', value: 'v' }] }, /^header "X Bad": not a valid header name/],
		] as Array<[string, Partial<RequestTemplate>, RegExp]>)('%s', (_name, overrides, message) => {
			const error = refusal(overrides, { note: 'line one\r\nX-Injected: yes' });
			expect(error.message).toMatch(message);
			expect(error.message).not.toContain('abcdefgh');
		});

		it('nothing reaches the receiver and nothing is retried', async () => {
			receiver = await startLoopbackServer((_request, res) => void res.end('{}'));
			expect(() =>
				prepareRequest(
					requestTemplate({
						rootUrl: receiver!.url,
						nodeHeaders: [
							{ name: 'X-Note', value: '${ note }' },
							{ name: 'Idempotency-Key', value: TX },
						],
					}),
					{ note: 'a\r\nb' },
					TX,
				),
			).toThrow(RequestError);
			expect(receiver.requests).toHaveLength(0);
		});
	});

	describe('whether a request carries its transactional id is decided from what was rendered', () => {
		const carries = (overrides: Partial<RequestTemplate>, item: object = {}) => prepareRequest(requestTemplate(overrides), item, TX).carriesTransactionalId;

		it('a reference inside a comment does not count', () => {
			expect(carries({ body: '{@{* "id": "${ WebhookRequest.TransactionalId }" *}}' })).toBe(false);
		});

		it('a reference inside an untaken branch does not count', () => {
			expect(carries({ body: '{@{ if send }"id": "${ WebhookRequest.TransactionalId }"@{ end if }}' }, { send: false })).toBe(false);
			expect(carries({ body: '{@{ if send }"id": "${ WebhookRequest.TransactionalId }"@{ end if }}' }, { send: true })).toBe(true);
		});

		it('a read that does not reach the request (a condition only) does not count', () => {
			expect(carries({ body: '{"kind": "@{ if WebhookRequest.TransactionalId = "" }none@{ else }some@{ end if }"}' })).toBe(false);
		});

		it('the id rendered into the path, a query value, a header or the body counts', () => {
			expect(carries({ path: '/hooks/${ WebhookRequest.TransactionalId }' })).toBe(true);
			expect(carries({ query: [{ name: 'id', value: '${ WebhookRequest.TransactionalId }' }] })).toBe(true);
			expect(carries({ nodeHeaders: [{ name: 'Idempotency-Key', value: 'key-${ WebhookRequest.TransactionalId }' }] })).toBe(true);
			expect(carries({ bodyContentType: 'form', body: '{"id": "${ WebhookRequest.TransactionalId }"}' })).toBe(true);
			expect(carries({ bodyContentType: 'text', body: 'id=${ WebhookRequest.TransactionalId }' })).toBe(true);
		});

		it('an id with characters that get encoded still counts where it is encoded (path, JSON)', () => {
			const id = 'run "7"/RUN_FINISH';
			expect(prepareRequest(requestTemplate({ path: '/hooks/${ WebhookRequest.TransactionalId }' }), {}, id).carriesTransactionalId).toBe(true);
			expect(prepareRequest(requestTemplate({ body: '{"id": "${ WebhookRequest.TransactionalId }"}' }), {}, id).carriesTransactionalId).toBe(true);
		});

		it('a header the user named that holds another value does not count', () => {
			expect(carries({ nodeHeaders: [{ name: 'X-Team', value: 'qa' }], inheritedHeaders: { 'X-Env': 'test' } })).toBe(false);
		});

		it('a signed request carries it (webhook-id is the transactional id) and is retried on 503', async () => {
			receiver = await startLoopbackServer((_request, res) => {
				res.statusCode = receiver!.requests.length === 1 ? 503 : 200;
				res.end('{}');
			});
			const prepared = prepareRequest(requestTemplate({ rootUrl: receiver.url, signed: true }), {}, TX);
			expect(prepared.carriesTransactionalId).toBe(true);
			const outcome = await deliver(
				prepared,
				TX,
				{ ...policy, signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
				{ clock: new FakeClock(), random: () => 0 },
			);
			expect(outcome.attempts.map((attempt) => attempt.statusCode)).toEqual([503, 200]);
			expect(receiver.requests.map((request) => request.headers['webhook-id'])).toEqual([TX, TX]);
		});
	});
});

describe('headers a client refuses', () => {
	// Issue 24 item 6: headers HTTP or undici refuses are the input's fault, found before anything is sent.
	const TX = 'tx-headers-1';
	const SECRET = 'Bearer s3cr3t-token-value';

	const template = (overrides: Partial<RequestTemplate>) => requestTemplate({ body: '{"a":1}', ...overrides });

	const refusal = (overrides: Partial<RequestTemplate>, item: object = {}) => preparationRefusal(template(overrides), item, TX);

	/** Every family undici refuses (node_modules/undici/lib/core/request.js processHeader) or HTTP reserves for the connection. */
	const REFUSED: Array<[string, string, RegExp]> = [
		['Expect', '100-continue', /cannot be set: the request is sent whole/],
		['Transfer-Encoding', 'chunked', /cannot be set: the HTTP client frames the body/],
		['transfer-encoding', 'identity', /cannot be set/],
		['Connection', 'close', /cannot be set: the HTTP client manages the connection/],
		['Connection', 'keep-alive, x-foo', /cannot be set/],
		['Keep-Alive', 'timeout=5', /cannot be set/],
		['Proxy-Connection', 'keep-alive', /cannot be set/],
		['Upgrade', 'websocket', /cannot be set: a request cannot switch protocols/],
		['TE', 'trailers', /cannot be set/],
		['Content-Length', '3', /does not match the body's 7 bytes/],
		['Content-Length', '-7', /does not match/],
		['Content-Length', '7, 7', /does not match/],
		['Content-Length', 'seven', /does not match/],
		['X-Bad Name', 'v', /not a valid header name/],
		['X-Bad:Name', 'v', /not a valid header name/],
		['', 'v', /not a valid header name/],
		['X-Ünïcode', 'v', /not a valid header name/],
		['X-Note', 'a\rb', /line break/],
		['X-Note', 'a\nb', /line break/],
		['X-Note', 'a\u0000b', /control or non-Latin-1/],
		['X-Note', 'a\u2028b', /control or non-Latin-1/],
	];

	describe('headers a client refuses, in every place a header comes from', () => {
		it.each(REFUSED.filter(([name]) => name))('node header %j: %j → a template error naming it', (name, value, reason) => {
			const error = refusal({ nodeHeaders: [{ name, value }] });
			expect(error.kind).toBe('template');
			expect(error.message).toMatch(new RegExp(`^header ${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
			expect(error.message).toMatch(reason);
			expect(error.message).toMatch(/nothing was sent$/);
		});

		it.each(REFUSED)('integration header %j: %j → refused the same way', (name, value, reason) => {
			expect(refusal({ inheritedHeaders: { [name]: value } }).message).toMatch(reason);
		});

		it('a templated value that renders a refused Content-Length or a line break is refused', () => {
			expect(refusal({ nodeHeaders: [{ name: 'Content-Length', value: '${ n }' }] }, { n: 99 }).message).toMatch(/^header "Content-Length": does not match/);
			expect(refusal({ nodeHeaders: [{ name: 'X-Id', value: '${ v }' }] }, { v: 'x\r\nInjected: 1' }).message).toMatch(
				/^header "X-Id": the value contains a line break/,
			);
		});

		it('a secret header that is refused is named, its value never quoted', () => {
			const error = refusal({ secretHeaders: { Connection: SECRET } });
			expect(error.message).toMatch(/^header "Connection": cannot be set/);
			expect(error.message).not.toContain('s3cr3t');
		});

		it('a Content-Length that matches the body is sent as it is; a GET without body only matches 0', () => {
			expect(prepareRequest(template({ nodeHeaders: [{ name: 'Content-Length', value: '7' }] }), {}, TX).headers['Content-Length']).toBe('7');
			expect(prepareRequest(template({ body: '{"é":1}', nodeHeaders: [{ name: 'content-length', value: '8' }] }), {}, TX).body).toBe('{"é":1}');
			expect(refusal({ method: 'GET', nodeHeaders: [{ name: 'Content-Length', value: '7' }] }).message).toMatch(/does not match the body's 0 bytes/);
		});

		it('Host, Accept-Encoding and ordinary headers are not refused', () => {
			const prepared = prepareRequest(
				template({
					nodeHeaders: [
						{ name: 'Host', value: 'internal.example' },
						{ name: 'X-Tab', value: 'a\tb' },
					],
				}),
				{},
				TX,
			);
			expect(prepared.headers).toMatchObject({ Host: 'internal.example', 'X-Tab': 'a\tb' });
		});

		it('excluding an inherited refused header lets the request go', () => {
			expect(() => prepareRequest(template({ inheritedHeaders: { Expect: '100-continue' }, excludeInheritedHeaders: ['expect'] }), {}, TX)).not.toThrow();
		});
	});

	describe('Send Test: a Currents hook header a client refuses', () => {
		const hook = (headers: Record<string, string>) => ({ headers: JSON.stringify(headers) });

		it.each(REFUSED.filter(([name]) => name))('%j: %j → an InputError naming the header, before anything is sent', (name, value, reason) => {
			let error: unknown;
			try {
				runEventRequest(hook({ [name]: value }), sampleRunEvent('RUN_FINISH'));
			} catch (caught) {
				error = caught;
			}
			expect(error).toBeInstanceOf(InputError);
			expect((error as InputError).field).toBe('headers');
			expect((error as Error).message).toMatch(/^The webhook's header /);
			// the Content-Length reason quotes the sample's own size, which differs from 7
			expect((error as Error).message).toMatch(name.toLowerCase() === 'content-length' ? /does not match the body's \d+ bytes/ : reason);
		});

		it('the same name twice in different case is refused; a hook Content-Type or X-Timestamp gives way to the delivery own', () => {
			expect(() => runEventRequest(hook({ 'X-Secret': 'aaaaaaaa', 'x-secret': 'bbbbbbbb' }), sampleRunEvent('RUN_FINISH'))).toThrow(
				/"x-secret": given twice \(also as "X-Secret"\)/,
			);
			const request = runEventRequest(hook({ 'Content-Type': 'text/plain', 'X-TIMESTAMP': '1' }), sampleRunEvent('RUN_FINISH'), () => 42);
			expect(request.headers).toEqual({ 'content-type': 'application/json', 'x-timestamp': '42' });
		});

		it('create and update refuse them too (the platform would store a header it cannot send); any fixed Content-Length is refused', () => {
			expect(() => toWebhookBody({ headers: { Expect: '100-continue' } }, 'update')).toThrow(/^Header "Expect": cannot be set/);
			expect(() => toWebhookBody({ headers: { 'Content-Length': '10' } }, 'update')).toThrow(
				/^Header "Content-Length": cannot be set: the length is computed from each body/,
			);
		});
	});

	describe('what undici does with them when nothing refuses them first (why the check exists)', () => {
		it.each(['Expect', 'Transfer-Encoding', 'Keep-Alive', 'Upgrade'])('%s: undici fails before sending, as a network error', async (name) => {
			const receiver = await startReceiver();
			try {
				await expect(sendHttp({ method: 'POST', url: receiver.url, headers: { [name]: 'x' }, body: 'abc', timeoutMs: 5000 })).rejects.toMatchObject({
					kind: 'network',
				});
				expect(receiver.requests).toHaveLength(0);
			} finally {
				await receiver.close();
			}
		});
	});
});
