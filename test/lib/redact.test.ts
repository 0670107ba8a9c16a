import { credentialOf, MASK, MIN_MASKED_LENGTH, Redactor } from '../../lib/redact';
import { ALPHABETS, expectMaskedEverywhere, secretOf } from '../support/secrets';
import { inMutationRun } from '../support/propertyRuns';

const TOKEN = 'tok_9f8e7d6c5b4a';
const BEARER = `Bearer ${TOKEN}`;
const AWKWARD = 'pa"ss\\wörd/€-1';

describe('Redactor: every form a secret comes back in', () => {
	const redactor = new Redactor([BEARER, AWKWARD]);

	it.each([
		['verbatim', `auth was ${BEARER}!`, `auth was ${MASK}!`],
		['the credential without its scheme word', `token=${TOKEN};`, `token=${MASK};`],
		['JSON-escaped quotes and backslashes', `{"s": "${JSON.stringify(AWKWARD).slice(1, -1)}"}`, `{"s": "${MASK}"}`],
		['JSON with non-ASCII as \\u escapes, lower-case hex', '{"s":"pa\\"ss\\\\w\\u00f6rd\\/\\u20ac-1"}', `{"s":"${MASK}"}`],
		['JSON with non-ASCII as \\u escapes, upper-case hex', '{"s":"pa\\u0022ss\\u005Cw\\u00F6rd/\\u20AC-1"}', `{"s":"${MASK}"}`],
		['URL-encoded', `?s=${encodeURIComponent(AWKWARD)}&x=1`, `?s=${MASK}&x=1`],
		['URL-encoded in lower-case hex', `?s=${encodeURIComponent(AWKWARD).toLowerCase()}`, `?s=${MASK}`],
		['form-encoded (space as +)', `?a=${new URLSearchParams({ a: BEARER }).toString().slice(2)}`, `?a=${MASK}`],
		['twice in one text', `${TOKEN} and ${TOKEN}`, `${MASK} and ${MASK}`],
	])('%s', (_form, text, expected) => {
		expect(redactor.text(text)).toBe(expected);
	});

	it('masks the longest form first: no part of a longer secret survives a shorter one inside it', () => {
		const inner = 'abcdefgh';
		const outer = `${inner}-and-more-secret`;
		expect(new Redactor([inner, outer]).text(`x ${outer} y ${inner}`)).toBe(`x ${MASK} y ${MASK}`);
		expect(new Redactor([`Bearer ${inner}`, inner]).text(`Bearer ${inner}`)).toBe(MASK);
	});

	it('walks parsed values: strings, nested arrays and object keys', () => {
		const parsed = { echoed: { [TOKEN]: [BEARER, { deep: `x${AWKWARD}x` }] }, n: 1, flag: true, none: null };
		expect(redactor.value(parsed)).toEqual({ echoed: { [MASK]: [MASK, { deep: `x${MASK}x` }] }, n: 1, flag: true, none: null });
	});

	it('leaves text without secrets alone, and masks nothing shorter than the minimum', () => {
		expect(redactor.text('nothing to see')).toBe('nothing to see');
		const short = 'x'.repeat(MIN_MASKED_LENGTH - 1);
		expect(new Redactor([short, `Bearer ${short}`]).text(`${short} Bearer ${short}`)).toBe(`${short} ${MASK}`);
		expect(new Redactor([]).value({ a: 'b' })).toEqual({ a: 'b' });
	});

	it('in text cut short, a beginning of a secret at the cut is masked, also when encoded', () => {
		expect(redactor.truncatedText(`a ${TOKEN} b tok_9f8e7`)).toBe(`a ${MASK} b ${MASK}`);
		expect(redactor.truncatedText(`{"s": "pa\\"ss\\\\w\\u00f6`)).toBe(`{"s": "${MASK}`);
		expect(redactor.truncatedText('ends with tok')).toBe('ends with tok');
		expect(redactor.text('b tok_9f8e7')).toBe('b tok_9f8e7');
	});

	it('regular-expression characters in a secret are literal', () => {
		expect(new Redactor(['a.b*c+d?(e)[f]{g}|h^$']).text('a.b*c+d?(e)[f]{g}|h^$ aXb')).toBe(`${MASK} aXb`);
	});
});

describe('credentialOf', () => {
	it.each([
		['Bearer abc', 'abc'],
		['Basic  dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
		['Token a b', 'a b'],
		['plainvalue', undefined],
		[' leading', undefined],
		['Bearer ', undefined],
	])('%j → %j', (value, credential) => {
		expect(credentialOf(value)).toBe(credential);
	});
});

describe('Redactor: hostile secrets', () => {
	describe('Redactor: secrets of any length and content', () => {
		it.each(ALPHABETS)('%s: secrets of 100 and 10k characters are masked in every echoed form, and nothing throws', (_name, alphabet) => {
			for (const length of [100, 10_000]) expectMaskedEverywhere(secretOf(alphabet, length));
		});

		it('a secret too short to mask (1 character) is left alone and throws nothing', () => {
			expect(new Redactor(['*']).text('a*b')).toBe('a*b');
		});

		it('a body cut short at any point inside a 10k-character secret shows none of it past the first 3 characters', () => {
			const secret = secretOf(ALPHABETS[0][1], 10_000);
			const redactor = new Redactor([secret]);
			for (const cut of [4, 100, 5_000, 9_999]) {
				expect(redactor.truncatedText(`head ${secret.slice(0, cut)}`)).toBe(`head ${MASK}`);
			}
		});
	});

	describe('Redactor: secrets echoed as JSON numbers and booleans', () => {
		const numeric = '12345678';
		const redactor = new Redactor([numeric, '98765432109876543210']);

		it('a number that is a secret becomes the mask; a number holding one becomes masked text', () => {
			expect(redactor.value({ n: 12345678, inList: [12345678], part: 9912345678, other: 42, flag: true })).toEqual({
				n: MASK,
				inList: [MASK],
				part: `99${MASK}`,
				other: 42,
				flag: true,
			});
		});

		it('JSON text: number literals are checked as written, before they are rounded by parsing', () => {
			// 98765432109876543210 parses to 98765432109876540000: the secret is only in the text.
			expect(redactor.json('{"n": 98765432109876543210, "m": 12345678, "k": "12345678", "ok": 7, "s": "9876"}')).toEqual({
				value: { n: MASK, m: MASK, k: MASK, ok: 7, s: '9876' },
			});
			expect(redactor.json('[12345678e0, -12345678]')).toEqual({ value: [`${MASK}e0`, `-${MASK}`] });
		});

		it('a boolean secret value is masked like any scalar', () => {
			expect(new Redactor(['false']).value({ b: false, t: true })).toEqual({ b: MASK, t: true });
		});

		it('text that is not JSON gives undefined, and its error message is never shown', () => {
			expect(redactor.json(`not json ${numeric}`)).toBeUndefined();
			expect(redactor.json('')).toBeUndefined();
		});
	});
});

// Apart from the other sizes as it takes seconds: the lib-level mutation run (stryker.lib.config.mjs,
// whose workers carry STRYKER_MUTATOR_WORKER) leaves it out, the code paths are the same.
const describeUnlessMutating = inMutationRun ? describe.skip : describe;
describeUnlessMutating('Redactor: a secret of a million characters', () => {
	it('mixing regular-expression characters, unicode, CR/LF and base64 is masked in every echoed form', () => {
		expectMaskedEverywhere(secretOf(ALPHABETS.map(([, alphabet]) => alphabet).join(''), 1_000_000));
	});
});
