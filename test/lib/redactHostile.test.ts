import { MASK, Redactor } from '../../lib/redact';
import { ALPHABETS, expectMaskedEverywhere, secretOf } from '../support/secrets';

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
