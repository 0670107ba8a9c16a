import { createHash } from 'node:crypto';
import { MIN_SECRET_BYTES, prepareSecrets, PreparedSecretsCache, secretCredentialProblem, type PreparedSecrets, type SecretRefusal } from '../../../lib/verify';

const key32 = Buffer.alloc(32, 0xfb); // base64 "+/v7…": both characters the URL-safe alphabet replaces
const whsec = (key: Buffer) => `whsec_${key.toString('base64')}`;
const named = (...values: string[]) => values.map((value, i) => ({ field: i === 0 ? 'secret' : 'previousSecret', value }));
const prepared = (result: PreparedSecrets | SecretRefusal): PreparedSecrets => {
	if ('problem' in result) throw new Error(`refused: ${result.field} ${result.problem}`);
	return result;
};

describe('prepareSecrets: one policy for every secret', () => {
	it('text: the secrets as typed, with their SHA-256 for constant-time comparison', () => {
		const result = prepared(prepareSecrets(named('sixteen-bytes-ok', 'another-16-bytes'), 'text'));
		expect(result.texts).toEqual(['sixteen-bytes-ok', 'another-16-bytes']);
		expect(result.expectedTexts.map(({ digest }) => digest.toString('hex'))).toEqual(
			['sixteen-bytes-ok', 'another-16-bytes'].map((text) => createHash('sha256').update(text).digest('hex')),
		);
		expect(result.signingKeys).toEqual([]);
	});

	it('signingKey: whsec_ and bare base64 keys decoded (spaces around the key ignored, as the decoder does)', () => {
		const bare = Buffer.alloc(16, 4);
		const result = prepared(prepareSecrets(named(`${whsec(key32)}  `, bare.toString('base64')), 'signingKey'));
		expect(result.signingKeys).toEqual([key32, bare]);
		expect(result.texts).toEqual([]);
	});

	it('signingKeyOrText: whsec_ tokens become keys, the others stay text', () => {
		const result = prepared(prepareSecrets(named(whsec(key32), 'gitlab-secret-token-0001'), 'signingKeyOrText'));
		expect(result.signingKeys).toEqual([key32]);
		expect(result.texts).toEqual(['gitlab-secret-token-0001']);
	});

	it.each([
		['text', '', 'is empty', 'set to a longer secret'],
		['text', ' \t\r\n', 'is empty', 'set to a longer secret'],
		['text', 'é'.repeat(7) + 'a', `holds less than ${MIN_SECRET_BYTES} bytes of key material`, 'set to a longer secret'],
		['signingKey', 'whsec_', 'holds less than 16 bytes of key material (nothing follows whsec_)', 'set to a longer secret'],
		['signingKey', 'whsec_   ', 'holds less than 16 bytes of key material (nothing follows whsec_)', 'set to a longer secret'],
		['signingKey', whsec(Buffer.alloc(15, 1)), 'holds less than 16 bytes of key material', 'set to a longer secret'],
		['signingKey', 'abcdefghijklmnop', 'holds less than 16 bytes of key material', 'set to a longer secret'],
		['signingKey', 'whsec_!!!!!!!!!!!!!!!!!!!!!!!!', 'holds less than 16 bytes of key material (its key is not base64)', 'set to a longer secret'],
		['signingKey', whsec(key32).replace(/\+/g, '-').replace(/\//g, '_'), 'has a key that is not base64', 'corrected'],
		['signingKey', `${whsec(key32)}"`, 'has a key that is not base64', 'corrected'],
		['signingKeyOrText', 'whsec_', 'holds less than 16 bytes of key material (nothing follows whsec_)', 'set to a longer secret'],
		['signingKeyOrText', 'fifteen-bytes!!', 'holds less than 16 bytes of key material', 'set to a longer secret'],
	] as const)('%s %j is refused: %s', (form, value, problem, remedy) => {
		expect(prepareSecrets(named(value), form)).toEqual({ field: 'secret', problem, remedy });
	});

	it('names the first unusable secret by its field, whichever it is', () => {
		expect(prepareSecrets(named(whsec(key32), 'whsec_'), 'signingKey')).toMatchObject({ field: 'previousSecret' });
		expect(prepareSecrets([{ field: 'Signing Secret', value: 'whsec_' }], 'signingKey')).toMatchObject({ field: 'Signing Secret' });
	});

	it('a refusal never carries the secret', () => {
		const secret = whsec(key32).replace(/\+/g, '-');
		expect(JSON.stringify(prepareSecrets(named(secret), 'signingKey'))).not.toContain(secret.slice('whsec_'.length, 20));
	});
});

describe('PreparedSecretsCache: prepared once per distinct values, visible and bounded', () => {
	it('equal values in a fresh list get what was prepared before', () => {
		const cache = new PreparedSecretsCache();
		const first = cache.get(['sixteen-bytes-ok', ''], 'text');
		expect(cache.get(['sixteen-bytes-ok', ''], 'text')).toBe(first);
	});

	it('another previous secret, or another form, is prepared anew', () => {
		const cache = new PreparedSecretsCache();
		const first = cache.get([whsec(key32), ''], 'signingKey');
		const rotated = cache.get([whsec(key32), 'previous-secret-0001'], 'signingKeyOrText');
		expect(rotated).not.toBe(first);
		expect(prepared(rotated).texts).toEqual(['previous-secret-0001']);
		expect(prepared(cache.get([whsec(key32), ''], 'text')).texts).toEqual([whsec(key32)]);
		expect(prepared(cache.get([whsec(key32), 'other-previous-0002'], 'signingKeyOrText')).texts).toEqual(['other-previous-0002']);
	});

	it('keeps refusals too, and drops the oldest entry beyond its bound', () => {
		const cache = new PreparedSecretsCache(2);
		const a = cache.get(['a'], 'text');
		expect(a).toMatchObject({ problem: 'holds less than 16 bytes of key material' });
		expect(cache.get(['a'], 'text')).toBe(a);
		const b = cache.get(['b'], 'text');
		cache.get(['c'], 'text');
		expect(cache.get(['b'], 'text')).toBe(b);
		expect(cache.get(['a'], 'text')).not.toBe(a);
	});
});

describe('secretCredentialProblem: the trigger credential test', () => {
	const LONG = 'currents-shared-secret-1';

	it('a usable secret, with or without a previous one, has no problem', () => {
		expect(secretCredentialProblem({ secret: LONG })).toBeUndefined();
		expect(secretCredentialProblem({ secret: LONG, previousSecret: `${LONG}-old` })).toBeUndefined();
		expect(secretCredentialProblem({ secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`, previousSecret: '' })).toBeUndefined();
	});

	it('spaces around either secret are named before any other problem', () => {
		expect(secretCredentialProblem({ secret: ` ${LONG}` })).toBe('The secret has spaces around it');
		expect(secretCredentialProblem({ secret: LONG, previousSecret: `abc ` })).toBe('The previousSecret has spaces around it');
	});

	it('a short secret names its field, the rule and the remedy', () => {
		expect(secretCredentialProblem({ secret: 'abc' })).toBe(
			'The secret holds less than 16 bytes of key material: the trigger refuses every request until it is set to a longer secret',
		);
		expect(secretCredentialProblem({ secret: LONG, previousSecret: 'whsec_' })).toBe(
			'The previousSecret holds less than 16 bytes of key material (nothing follows whsec_): the trigger refuses every request until it is set to a longer secret',
		);
	});

	it('a value that is not text (a number, an object, absent) is read as empty', () => {
		expect(secretCredentialProblem({ secret: 12345678901234567890 })).toMatch(/^The secret /);
		expect(secretCredentialProblem({ secret: { value: LONG } })).toMatch(/^The secret /);
		expect(secretCredentialProblem({})).toMatch(/^The secret /);
	});
});
