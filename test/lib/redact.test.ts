import { credentialOf, MASK, MIN_MASKED_LENGTH, Redactor } from '../../lib/redact';

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
