import { MASK, Redactor } from '../../lib/redact';

/**
 * Secrets of any length and content, echoed in every form: masking must neither depend on the
 * secret's length (main built a RegExp from it: past a few thousand characters it threw a
 * SyntaxError quoting the whole secret) nor leave any of it in the output.
 */
const ALPHABETS: Array<[string, string]> = [
	['regular-expression characters', '.*+?^${}()|[]\\/-'],
	['unicode (accents, CJK, an astral emoji)', 'éß漢字😀'],
	['CR/LF and quotes', '\r\n"\'\t'],
	['plain base64', 'Zm9vYmFyQUJD+/='],
];

const secretOf = (alphabet: string, length: number) => {
	const units = Array.from(alphabet);
	let secret = '';
	for (let i = 0; secret.length < length; i++) secret += units[i % units.length];
	// Cut at a whole code point: a lone surrogate is not text a receiver could echo.
	return Array.from(secret).join('').slice(0, /[\uD800-\uDBFF]/.test(secret[length - 1] ?? '') ? length - 1 : length);
};

/** Every form a receiver or an error message may repeat the secret in. */
const echoesOf = (secret: string) => ({
	verbatim: `before ${secret} after`,
	json: JSON.stringify({ echoed: secret }),
	url: `?token=${encodeURIComponent(secret)}&x=1`,
	form: new URLSearchParams({ a: secret }).toString(),
	jsonInUrl: `?q=${encodeURIComponent(JSON.stringify(secret))}`,
});

function expectMaskedEverywhere(secret: string): void {
	let redactor: Redactor | undefined;
	expect(() => (redactor = new Redactor([secret]))).not.toThrow();
	for (const [form, text] of Object.entries(echoesOf(secret))) {
		const masked = redactor!.text(text);
		expect({ form, leaks: masked.includes(secret) || masked.includes(secret.slice(0, 50)) }).toEqual({ form, leaks: false });
		expect(masked).toContain(MASK);
	}
	// A parsed body: as a value and as a key.
	const masked = JSON.stringify(redactor!.value({ [secret]: [secret], nested: { deep: `x${secret}x` } }));
	expect(masked.includes(JSON.stringify(secret).slice(1, 51))).toBe(false);
}

describe('Redactor: secrets of any length and content', () => {
	it.each(ALPHABETS)('%s: secrets of 100 and 10k characters are masked in every echoed form, and nothing throws', (_name, alphabet) => {
		for (const length of [100, 10_000]) expectMaskedEverywhere(secretOf(alphabet, length));
	});

	it('a secret of 1M characters mixing all of them is masked in every echoed form', () => {
		expectMaskedEverywhere(secretOf(ALPHABETS.map(([, alphabet]) => alphabet).join(''), 1_000_000));
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
