import { deliver, prepareRequest, RequestError, type DeliveryPolicy, type RequestTemplate } from '../../lib/dispatch';
import { FakeClock } from '../support/fakeClock';
import { startLoopbackServer, type LoopbackServer } from '../../tools/httpServer';
import { preparationRefusal, requestTemplate } from '../support/requestTemplate';

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

	it.each(['/hooks/../admin', '/hooks/%2E%2e/admin', '/hooks/.%2e', '/hooks\\..\\admin'])('a dot segment written in the path itself (%s) is refused too', (path) => {
		expect(refusal({ path }).message).toMatch(/^path: /);
	});

	it('dots inside a segment are content, not navigation', () => {
		const prepared = prepareRequest(requestTemplate({ path: '/files/${ name }' }), { name: '...x..' }, TX);
		expect(prepared.url).toBe('http://127.0.0.1:1/api/files/...x..');
	});
});

describe('header values a client would refuse fail the item before anything is sent', () => {
	it.each([
		['a CR LF rendered from a template', { nodeHeaders: [{ name: 'X-Note', value: '${ note }' }] }, /^header "X-Note": the value contains a line break/],
		['a bare LF from the integration headers', { inheritedHeaders: { 'X-Team': 'qa\nX-Injected: 1' } }, /^header "X-Team": the value contains a line break/],
		['a CR in a secret header, not quoted', { secretHeaders: { Authorization: 'Bearer abcdefgh\r' } }, /^header "Authorization": the value contains a line break/],
		['a NUL', { nodeHeaders: [{ name: 'X-Nul', value: 'a\u0000b' }] }, /^header "X-Nul": the value contains a control or non-Latin-1 character/],
		['a character beyond Latin-1', { nodeHeaders: [{ name: 'X-Emoji', value: 'ok 🚀' }] }, /^header "X-Emoji": the value contains a control or non-Latin-1 character/],
		['a header name with a space', { nodeHeaders: [{ name: 'X Bad', value: 'v' }] }, /^header "X Bad": not a valid header name/],
	] as Array<[string, Partial<RequestTemplate>, RegExp]>)('%s', (_name, overrides, message) => {
		const error = refusal(overrides, { note: 'line one\r\nX-Injected: yes' });
		expect(error.message).toMatch(message);
		expect(error.message).not.toContain('abcdefgh');
	});

	it('nothing reaches the receiver and nothing is retried', async () => {
		receiver = await startLoopbackServer((_request, res) => void res.end('{}'));
		expect(() =>
			prepareRequest(requestTemplate({ rootUrl: receiver!.url, nodeHeaders: [{ name: 'X-Note', value: '${ note }' }, { name: 'Idempotency-Key', value: TX }] }), { note: 'a\r\nb' }, TX),
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
		const outcome = await deliver(prepared, TX, { ...policy, signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }, { clock: new FakeClock(), random: () => 0 });
		expect(outcome.attempts.map((attempt) => attempt.statusCode)).toEqual([503, 200]);
		expect(receiver.requests.map((request) => request.headers['webhook-id'])).toEqual([TX, TX]);
	});
});
