/** What a secret value is shown as, wherever it would otherwise appear. */
export const MASK = '***';

/**
 * The shortest secret the package accepts where secrets are configured (Webhook Integration's
 * `secretHeaders`): shorter ones are refused, as they are guessable and hard to mask safely.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * Values shorter than this are not masked: they would match unrelated text everywhere. Only
 * secrets the package does not configure itself (a webhook's custom headers on the platform)
 * can be this short.
 */
export const MIN_MASKED_LENGTH = 4;

/** An HTTP authentication scheme word (RFC 9110 token) followed by whitespace, as in `Bearer <token>`. */
const SCHEME_PREFIX = /^[A-Za-z][!#$%&'*+.^_`|~0-9A-Za-z-]*[ \t]+(?=\S)/;

/** The credential of a value written as `<scheme> <credential>`, e.g. the token of `Bearer <token>`. */
export function credentialOf(value: string): string | undefined {
	const prefix = SCHEME_PREFIX.exec(value);
	return prefix ? value.slice(prefix[0].length) : undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Hex digits of `n` matching either letter case, as receivers differ. */
function hexPattern(n: number, width: number): string {
	return n
		.toString(16)
		.padStart(width, '0')
		.replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);
}

const utf8 = new TextEncoder();

/** Every way one character of a secret can come back: as is, JSON-escaped, or URL-encoded. */
function characterPattern(character: string): string {
	const options = new Set([escapeRegExp(character), escapeRegExp(JSON.stringify(character).slice(1, -1))]);
	// JSON may escape any character as \uXXXX (UTF-16 units), and "/" as "\/".
	options.add(Array.from({ length: character.length }, (_, i) => `\\\\u${hexPattern(character.charCodeAt(i), 4)}`).join(''));
	if (character === '/') options.add('\\\\/');
	// URL encoding: %XX per UTF-8 byte; form encoding writes a space as "+".
	options.add(Array.from(utf8.encode(character), (byte) => `%${hexPattern(byte, 2)}`).join(''));
	if (character === ' ') options.add('\\+');
	return `(?:${[...options].join('|')})`;
}

/**
 * Masks secrets in text and in parsed values. Each secret is masked in every form it can take
 * when a receiver or an error message repeats it: verbatim, its credential without the scheme
 * word (`Bearer xyz` → also `xyz`), JSON-escaped (quotes, backslashes, \uXXXX for non-ASCII,
 * in either hex case) and URL-encoded — also when these encodings are mixed. Longer forms are
 * tried first, so a shorter secret inside a longer one leaves no part of the longer one.
 */
export class Redactor {
	private readonly pattern: RegExp | undefined;

	constructor(secrets: readonly string[]) {
		const forms = new Set<string>();
		for (const secret of secrets) {
			for (const form of [secret, credentialOf(secret)]) if (form !== undefined && form.length >= MIN_MASKED_LENGTH) forms.add(form);
		}
		const longestFirst = [...forms].sort((a, b) => b.length - a.length);
		this.pattern = longestFirst.length === 0 ? undefined : new RegExp(longestFirst.map((form) => Array.from(form, characterPattern).join('')).join('|'), 'g');
	}

	text(text: string): string {
		return this.pattern ? text.replace(this.pattern, MASK) : text;
	}

	/** A parsed value (JSON) with every string masked, object keys included. */
	value(value: unknown): unknown {
		// Serialized, any string holding a secret shows it in a JSON-escaped form, which the
		// pattern matches: one scan spares walking the (usual) value that holds none.
		if (!this.pattern || (typeof value === 'object' && value !== null && JSON.stringify(value).search(this.pattern) === -1)) return value;
		return this.walk(value);
	}

	private walk(value: unknown): unknown {
		if (typeof value === 'string') return this.text(value);
		if (Array.isArray(value)) return value.map((entry) => this.walk(entry));
		if (value !== null && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([key, entry]) => [this.text(key), this.walk(entry)]));
		}
		return value;
	}
}
