import { MASK, Redactor } from '../../lib/redact';

/**
 * Secrets of any length and content, echoed in every form: masking must neither depend on the
 * secret's length (main built a RegExp from it: past a few thousand characters it threw a
 * SyntaxError quoting the whole secret) nor leave any of it in the output.
 */
export const ALPHABETS: Array<[string, string]> = [
	['regular-expression characters', '.*+?^${}()|[]\\/-'],
	['unicode (accents, CJK, an astral emoji)', 'éß漢字😀'],
	['CR/LF and quotes', '\r\n"\'\t'],
	['plain base64', 'Zm9vYmFyQUJD+/='],
];

export const secretOf = (alphabet: string, length: number) => {
	const units = Array.from(alphabet);
	let secret = '';
	for (let i = 0; secret.length < length; i++) secret += units[i % units.length];
	// Cut at a whole code point: a lone surrogate is not text a receiver could echo.
	return Array.from(secret)
		.join('')
		.slice(0, /[\uD800-\uDBFF]/.test(secret[length - 1] ?? '') ? length - 1 : length);
};

/** Every form a receiver or an error message may repeat the secret in. */
const echoesOf = (secret: string) => ({
	verbatim: `before ${secret} after`,
	json: JSON.stringify({ echoed: secret }),
	url: `?token=${encodeURIComponent(secret)}&x=1`,
	form: new URLSearchParams({ a: secret }).toString(),
	jsonInUrl: `?q=${encodeURIComponent(JSON.stringify(secret))}`,
});

export function expectMaskedEverywhere(secret: string): void {
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
