import { headerObject, integrationSecrets, readIntegration, type Integration } from '../../../lib/dispatch';

// lib/dispatch/integration.ts: the Webhook Integration credential's fields, checked and read.
function refusal(raw: Parameters<typeof readIntegration>[0]): string {
	try {
		readIntegration(raw);
	} catch (error) {
		return (error as Error).message;
	}
	throw new Error('read without an error');
}

describe('readIntegration', () => {
	it('reads every field, with defaults for those left empty', () => {
		expect(readIntegration({ rootUrl: '  https://hooks.example.com/api  ' })).toEqual({
			rootUrl: 'https://hooks.example.com/api',
			headers: {},
			secretHeaders: {},
			rateLimitPerSecond: 0,
			signingSecret: '',
			timeoutMs: 30_000,
			blockPrivateNetworks: false,
			notices: [],
		});
	});

	it('reads the fields as given', () => {
		expect(
			readIntegration({
				rootUrl: 'http://127.0.0.1:8080',
				headers: '{"X-Team": "qa", "X-Count": 3}',
				secretHeaders: { Authorization: 'Bearer 0123456789abcdef' },
				rateLimitPerSecond: 5,
				signingSecret: ' whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ',
				timeoutSeconds: '16.1',
				blockPrivateNetworks: true,
			}),
		).toEqual({
			rootUrl: 'http://127.0.0.1:8080',
			headers: { 'X-Team': 'qa', 'X-Count': '3' },
			secretHeaders: { Authorization: 'Bearer 0123456789abcdef' },
			rateLimitPerSecond: 5,
			signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
			timeoutMs: 16_100,
			blockPrivateNetworks: true,
			notices: [],
		});
	});

	it('blockPrivateNetworks is on only for true, not for a truthy string', () => {
		expect(readIntegration({ rootUrl: 'https://h.example.com', blockPrivateNetworks: 'true' }).blockPrivateNetworks).toBe(false);
	});

	it.each([[''], ['not a url'], ['ftp://files.example.com'], ['file:///etc/passwd']])('refuses the Root URL %j, naming it', (rootUrl) => {
		expect(refusal({ rootUrl })).toBe(`Root URL "${rootUrl}" is not a valid http(s) URL`);
	});

	it('a missing Root URL is refused like an empty one', () => {
		expect(refusal({})).toBe('Root URL "" is not a valid http(s) URL');
	});

	it('invalid Headers JSON is named and quoted; invalid Secret Headers JSON is named, not quoted', () => {
		expect(refusal({ rootUrl: 'https://h.example.com', headers: '{X-Team: qa}' })).toBe(
			'Headers is not valid JSON: {X-Team: qa}; write an object such as {"X-Team": "qa"}',
		);
		expect(refusal({ rootUrl: 'https://h.example.com', secretHeaders: '{Authorization: Bearer s3cr3t-t0ken}' })).toBe(
			'Secret Headers is not valid JSON; write an object such as {"X-Team": "qa"}',
		);
	});

	it('refuses a signing secret without the whsec_ prefix', () => {
		expect(refusal({ rootUrl: 'https://h.example.com', signingSecret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })).toBe(
			'Signing Secret must be a Standard Webhooks secret starting with whsec_',
		);
	});

	describe('timeout (seconds)', () => {
		it.each([
			[undefined, 30_000],
			[null, 30_000],
			['', 30_000],
			[2, 2000],
			[0.0004, 1],
			[0.0016, 2],
		])('%j → %j ms', (timeoutSeconds, ms) => {
			expect(readIntegration({ rootUrl: 'https://h.example.com', timeoutSeconds }).timeoutMs).toBe(ms);
		});

		it.each([
			[0, '0'],
			[-1, '-1'],
			['abc', '"abc"'],
			[NaN, 'NaN'],
			[{}, 'object'],
		])('refuses %j, naming the field and the value', (timeoutSeconds, shown) => {
			expect(refusal({ rootUrl: 'https://h.example.com', timeoutSeconds })).toBe(`Timeout (timeoutSeconds) must be a number from 0.001 to 86400, got ${shown}`);
		});

		it.each([
			[Infinity, 86_400_000],
			[1e12, 86_400_000],
			['3e6', 86_400_000],
		])('%j, past the maximum (a day), is a day, and said so', (timeoutSeconds, ms) => {
			const integration = readIntegration({ rootUrl: 'https://h.example.com', timeoutSeconds });
			expect(integration.timeoutMs).toBe(ms);
			expect(integration.notices).toEqual([`Timeout (timeoutSeconds) ${Number(timeoutSeconds)} is above the maximum 86400: 86400 is used`]);
		});
	});

	describe('rate limit (requests per second)', () => {
		it.each([
			[undefined, 0, []],
			[0, 0, []],
			[2.5, 2.5, []],
			[-3, 0, ['Rate Limit (rateLimitPerSecond) -3 is below the minimum 0: 0 is used']],
			[1e15, 10_000, ['Rate Limit (rateLimitPerSecond) 1000000000000000 is above the maximum 10000: 10000 is used']],
			[Infinity, 10_000, ['Rate Limit (rateLimitPerSecond) Infinity is above the maximum 10000: 10000 is used']],
		])('%j → %j per second', (rateLimitPerSecond, rate, notices) => {
			const integration = readIntegration({ rootUrl: 'https://h.example.com', rateLimitPerSecond });
			expect(integration.rateLimitPerSecond).toBe(rate);
			expect(integration.notices).toEqual(notices);
		});

		it.each([['fast'], [true], [[5]]])('refuses %j, naming the field', (rateLimitPerSecond) => {
			expect(refusal({ rootUrl: 'https://h.example.com', rateLimitPerSecond } as never)).toMatch(
				/^Rate Limit \(rateLimitPerSecond\) must be a number from 0 to 10000, got /,
			);
		});
	});

	describe('secret headers too short to mask', () => {
		const tooShort = (name: string) =>
			`Secret Headers (secretHeaders): the value of "${name}" is too short to keep secret; use at least 8 characters (after the scheme word, as in "Bearer <token>")`;

		it('a value under 8 characters is refused, naming the header and not the value', () => {
			const message = refusal({ rootUrl: 'https://h.example.com', secretHeaders: '{"X-Key": "1234567"}' });
			expect(message).toBe(tooShort('X-Key'));
			expect(message).not.toContain('1234567');
		});

		it('a scheme word followed by a credential under 8 characters is refused', () => {
			expect(refusal({ rootUrl: 'https://h.example.com', secretHeaders: '{"Authorization": "Bearer 1234567"}' })).toBe(tooShort('Authorization'));
		});

		it('exactly 8 characters, alone or after a scheme word, is accepted', () => {
			const secretHeaders = readIntegration({
				rootUrl: 'https://h.example.com',
				secretHeaders: '{"X-Key": "12345678", "Authorization": "Bearer 12345678"}',
			}).secretHeaders;
			expect(secretHeaders).toEqual({ 'X-Key': '12345678', Authorization: 'Bearer 12345678' });
		});
	});
});

describe('headerObject', () => {
	it.each([[undefined], [null], ['']])('%j is no headers', (value) => {
		expect(headerObject(value, 'Headers', false)).toEqual({});
	});

	it('an object (already parsed) is read with every value as a string', () => {
		expect(headerObject({ 'X-A': 1, 'X-B': true, 'X-C': 'c' }, 'Headers', false)).toEqual({ 'X-A': '1', 'X-B': 'true', 'X-C': 'c' });
	});

	it('invalid JSON in a plain field is quoted (its first 60 characters) in the message', () => {
		const value = `{${'x'.repeat(80)}`;
		expect(() => headerObject(value, 'Headers', false)).toThrow(
			new Error(`Headers is not valid JSON: ${value.slice(0, 60)}; write an object such as {"X-Team": "qa"}`),
		);
	});

	it('invalid JSON in a secret field is not quoted', () => {
		expect(() => headerObject('{Authorization: Bearer s3cr3t-t0ken}', 'Secret Headers', true)).toThrow(
			new Error('Secret Headers is not valid JSON; write an object such as {"X-Team": "qa"}'),
		);
	});

	it.each([['[]'], ['"text"'], ['42'], ['null'], [[1, 2]], [7]])('refuses %j: not a JSON object', (value) => {
		expect(() => headerObject(value as never, 'Headers', false)).toThrow(new Error('Headers must be a JSON object of header names and values'));
	});
});

describe('integrationSecrets', () => {
	const base: Integration = {
		rootUrl: 'https://h.example.com',
		headers: {},
		secretHeaders: {},
		rateLimitPerSecond: 0,
		signingSecret: '',
		timeoutMs: 30_000,
		blockPrivateNetworks: false,
		notices: [],
	};

	it('secret header values, the signing secret and its key without the whsec_ prefix', () => {
		const integration = { ...base, secretHeaders: { Authorization: 'Bearer 0123456789abcdef' }, signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8I' };
		expect(integrationSecrets(integration)).toEqual(['Bearer 0123456789abcdef', 'whsec_MfKQ9r8GKYqrTwjUPD8I', 'MfKQ9r8GKYqrTwjUPD8I']);
	});

	it('without any secret: none (no empty string that would match everywhere)', () => {
		expect(integrationSecrets(base)).toEqual([]);
	});
});
