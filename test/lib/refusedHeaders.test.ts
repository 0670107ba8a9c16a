import { InputError, runEventRequest, sampleRunEvent, toWebhookBody } from '../../lib/currents';
import { prepareRequest, type RequestTemplate } from '../../lib/dispatch';
import { sendHttp } from '../../lib/http/transport';
import { startReceiver } from '../../tools/httpServer';
import { preparationRefusal, requestTemplate } from '../support/requestTemplate';

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
		expect(refusal({ nodeHeaders: [{ name: 'X-Id', value: '${ v }' }] }, { v: 'x\r\nInjected: 1' }).message).toMatch(/^header "X-Id": the value contains a line break/);
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
		const prepared = prepareRequest(template({ nodeHeaders: [{ name: 'Host', value: 'internal.example' }, { name: 'X-Tab', value: 'a\tb' }] }), {}, TX);
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
		expect(() => runEventRequest(hook({ 'X-Secret': 'aaaaaaaa', 'x-secret': 'bbbbbbbb' }), sampleRunEvent('RUN_FINISH'))).toThrow(/"x-secret": given twice \(also as "X-Secret"\)/);
		const request = runEventRequest(hook({ 'Content-Type': 'text/plain', 'X-TIMESTAMP': '1' }), sampleRunEvent('RUN_FINISH'), () => 42);
		expect(request.headers).toEqual({ 'content-type': 'application/json', 'x-timestamp': '42' });
	});

	it('create and update refuse them too (the platform would store a header it cannot send); any fixed Content-Length is refused', () => {
		expect(() => toWebhookBody({ headers: { Expect: '100-continue' } }, 'update')).toThrow(/^Header "Expect": cannot be set/);
		expect(() => toWebhookBody({ headers: { 'Content-Length': '10' } }, 'update')).toThrow(/^Header "Content-Length": cannot be set: the length is computed from each body/);
	});
});

describe('what undici does with them when nothing refuses them first (why the check exists)', () => {
	it.each(['Expect', 'Transfer-Encoding', 'Keep-Alive', 'Upgrade'])('%s: undici fails before sending, as a network error', async (name) => {
		const receiver = await startReceiver();
		try {
			await expect(sendHttp({ method: 'POST', url: receiver.url, headers: { [name]: 'x' }, body: 'abc', timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'network' });
			expect(receiver.requests).toHaveLength(0);
		} finally {
			await receiver.close();
		}
	});
});
