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

/**
 * Text with encodings undone, and for each of its UTF-16 units the span of the original text
 * it came from (`from[i]` to `to[i]`, end exclusive; no arrays: the text is the original).
 */
interface View {
	text: string;
	from?: Uint32Array;
	to?: Uint32Array;
}

const startOf = (view: View, unit: number) => (view.from ? view.from[unit] : unit);
const endOf = (view: View, unit: number) => (view.to ? view.to[unit] : unit + 1);

type Decoder = (text: string, at: number) => { units: string; end: number } | undefined;

/** UTF-16 units as a string (an unpaired surrogate becomes U+FFFD: still one unit, so positions hold). */
const utf16 = new TextDecoder('utf-16le');

/**
 * A decoded view of `source`. `decode` reads an encoded character at a position where the text
 * holds one of the `starts` characters (or reads nothing there). Decoding never lengthens text.
 */
function decodedView(source: View, starts: RegExp, decode: Decoder): View {
	const { text } = source;
	const units = new Uint16Array(text.length);
	const from = new Uint32Array(text.length);
	const to = new Uint32Array(text.length);
	let length = 0;
	starts.lastIndex = 0;
	// Stryker disable next-line EqualityOperator: at the end `starts` finds nothing and the loop breaks either way
	for (let at = 0; at < text.length;) {
		const special = starts.exec(text);
		const runEnd = special ? special.index : text.length;
		for (; at < runEnd; at++) {
			units[length] = text.charCodeAt(at);
			from[length] = startOf(source, at);
			to[length++] = endOf(source, at);
		}
		if (!special) break;
		const decoded = decode(text, at);
		const end = decoded ? decoded.end : at + 1;
		const decodedUnits = decoded ? decoded.units : text[at];
		for (let k = 0; k < decodedUnits.length; k++) {
			units[length] = decodedUnits.charCodeAt(k);
			from[length] = startOf(source, at);
			to[length++] = endOf(source, end - 1);
		}
		at = starts.lastIndex = end;
	}
	return { text: utf16.decode(units.subarray(0, length)), from, to };
}

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const HEX4 = /^[0-9A-Fa-f]{4}$/;

/** A JSON string escape: \" \\ \/ \b \f \n \r \t, or \uXXXX in either hex case. */
const jsonEscape: Decoder = (text, at) => {
	if (text[at] !== '\\') return undefined;
	const escaped = JSON_ESCAPES[text[at + 1]];
	if (escaped !== undefined) return { units: escaped, end: at + 2 };
	const hex = text.slice(at + 2, at + 6);
	return text[at + 1] === 'u' && HEX4.test(hex) ? { units: String.fromCharCode(parseInt(hex, 16)), end: at + 6 } : undefined;
};

/** The value of a hex digit's character code (either case), or -1. */
function hexDigit(code: number): number {
	if (code >= 0x30 && code <= 0x39) return code - 0x30;
	const lower = code | 0x20;
	return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** The byte a %XX at `at` stands for, or -1. */
function percentByte(text: string, at: number): number {
	if (text.charCodeAt(at) !== 0x25) return -1;
	const high = hexDigit(text.charCodeAt(at + 1));
	const low = hexDigit(text.charCodeAt(at + 2));
	return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/** URL encoding: %XX per UTF-8 byte of one character (either hex case), and "+" for a space (forms). */
const urlEscape: Decoder = (text, at) => {
	if (text[at] === '+') return { units: ' ', end: at + 1 };
	const lead = percentByte(text, at);
	if (lead < 0x80) return lead < 0 ? undefined : { units: String.fromCharCode(lead), end: at + 3 };
	const length = lead >= 0xf8 ? 0 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
	if (length === 0) return undefined;
	let codePoint = lead & (0xff >> (length + 1));
	for (let i = 1; i < length; i++) {
		const next = percentByte(text, at + 3 * i);
		if ((next & 0xc0) !== 0x80) return undefined;
		codePoint = (codePoint << 6) | (next & 0x3f);
	}
	// Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
	const smallest = [0, 0, 0x80, 0x800, 0x10000][length];
	if (codePoint < smallest || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return undefined;
	return { units: String.fromCodePoint(codePoint), end: at + 3 * length };
};

/**
 * Every reading of a text a secret may hide in: as is, JSON-unescaped, URL-decoded, and both
 * in either order (a URL-encoded value inside JSON, a JSON text inside a URL). A reading is
 * only built when the text holds what it decodes.
 */
function viewsOf(text: string): View[] {
	const plain: View = { text };
	const views = [plain];
	const json = (view: View) => (view.text.includes('\\') ? decodedView(view, /\\/g, jsonEscape) : undefined);
	const url = (view: View) => (/[%+]/.test(view.text) ? decodedView(view, /[%+]/g, urlEscape) : undefined);
	const jsonFirst = json(plain);
	const urlFirst = url(plain);
	for (const view of [jsonFirst, urlFirst, jsonFirst && url(jsonFirst), urlFirst && json(urlFirst)]) if (view) views.push(view);
	return views;
}

/** A needle with its Knuth–Morris–Pratt table: search time is linear in text plus needle, whatever they hold. */
class Needle {
	readonly length: number;
	private readonly units: Uint16Array;
	/** `border[i]`: the length of the longest proper prefix of the needle's first i + 1 units that also ends them. */
	private readonly border: Uint32Array;

	constructor(text: string) {
		this.length = text.length;
		const units = (this.units = new Uint16Array(text.length));
		for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
		const border = (this.border = new Uint32Array(text.length));
		for (let i = 1, k = 0; i < units.length; i++) {
			while (k > 0 && units[i] !== units[k]) k = border[k - 1];
			if (units[i] === units[k]) k++;
			border[i] = k;
		}
	}

	/**
	 * Where the needle occurs in `haystack` (end indexes, exclusive; overlapping ones too), and
	 * how long a beginning of the needle the haystack ends with.
	 */
	scan(haystack: string): { ends: number[]; endingBeginning: number } {
		const { units, border, length } = this;
		const ends: number[] = [];
		let k = 0;
		for (let i = 0; i < haystack.length; i++) {
			const unit = haystack.charCodeAt(i);
			while (k > 0 && unit !== units[k]) k = border[k - 1];
			if (unit === units[k]) k++;
			if (k === length) {
				ends.push(i + 1);
				k = border[k - 1];
			}
		}
		return { ends, endingBeginning: k };
	}
}

/** Replaces the spans (start, end exclusive; any order, overlapping) of `text` by the mask, one mask per run of joined spans. */
function maskSpans(text: string, spans: Array<[number, number]>): string {
	if (spans.length === 0) return text;
	spans.sort((a, b) => a[0] - b[0]);
	let out = text.slice(0, spans[0][0]);
	let maskedUpTo = spans[0][1];
	for (const [start, end] of spans) {
		if (start > maskedUpTo) {
			out += MASK + text.slice(maskedUpTo, start);
			maskedUpTo = end;
		} else maskedUpTo = Math.max(maskedUpTo, end);
	}
	return out + MASK + text.slice(maskedUpTo);
}

const NUMBER_CHARACTER = /[-+.eE0-9]/;

/**
 * Masks secrets in text and in parsed values. Each secret is masked in every form it can take
 * when a receiver or an error message repeats it: verbatim, its credential without the scheme
 * word (`Bearer xyz` → also `xyz`), JSON-escaped (quotes, backslashes, \uXXXX for non-ASCII,
 * in either hex case) and URL-encoded — also the one inside the other. Where secrets overlap
 * (a shorter one inside a longer one), the whole of both is masked.
 *
 * No regular expression is built from a secret: the text is decoded into its readings once and
 * each secret found by a linear scan, so a secret of any length and content costs time in
 * proportion to its length and the text's, and nothing here can throw with a secret in its message.
 */
export class Redactor {
	private readonly needles: Needle[];

	constructor(secrets: readonly string[]) {
		const forms = new Set<string>();
		for (const secret of secrets) {
			for (const form of [secret, credentialOf(secret)]) if (typeof form === 'string' && form.length >= MIN_MASKED_LENGTH) forms.add(form);
		}
		this.needles = [...forms].map((form) => new Needle(form));
	}

	/** The spans of `text` holding a secret; with `atCut`, also a beginning of one (MIN_MASKED_LENGTH or more) that ends the text. */
	private spans(text: string, atCut: boolean): Array<[number, number]> {
		const spans: Array<[number, number]> = [];
		// Stryker disable next-line all: a shortcut; the scans below find nothing in such a text either
		if (this.needles.length === 0 || text.length < MIN_MASKED_LENGTH) return spans;
		for (const view of viewsOf(text)) {
			for (const needle of this.needles) {
				const { ends, endingBeginning } = needle.scan(view.text);
				for (const end of ends) spans.push([startOf(view, end - needle.length), endOf(view, end - 1)]);
				if (atCut && endingBeginning >= MIN_MASKED_LENGTH) spans.push([startOf(view, view.text.length - endingBeginning), text.length]);
			}
		}
		return spans;
	}

	text(text: string): string {
		return maskSpans(text, this.spans(text, false));
	}

	/** Text that was cut short (a truncated body): a secret's beginning left at the cut is masked too. */
	truncatedText(text: string): string {
		return maskSpans(text, this.spans(text, true));
	}

	/**
	 * A parsed value (JSON) with every scalar masked: strings, object keys, and numbers and
	 * booleans by their text. A number or boolean holding a secret becomes a string — the mask
	 * (`"***"`) when it is the secret — since a masked value is no number any more.
	 */
	value(value: unknown): unknown {
		// Serialized, any scalar holding a secret shows it in a JSON-escaped form, which the scan
		// finds: one scan spares walking the (usual) value that holds none.
		// Stryker disable next-line all: a shortcut; walking such a value changes nothing in it
		if (this.needles.length === 0 || (typeof value === 'object' && value !== null && this.spans(JSON.stringify(value), false).length === 0)) return value;
		return this.walk(value);
	}

	/**
	 * JSON text parsed and masked as by `value`, or undefined when it is not JSON. Number
	 * literals are checked as written: a long number echoing a secret parses to a rounded one
	 * (12345678901234567890 → 12345678901234567000) that no longer shows it.
	 */
	json(text: string): { value: unknown } | undefined {
		let parsed: unknown;
		try {
			// Stryker disable next-line all: a shortcut; without a secret in the text quoting changes nothing
			parsed = JSON.parse(this.spans(text, false).length > 0 ? this.quoteSecretNumbers(text) : text);
		} catch {
			return undefined;
		}
		return { value: this.value(parsed) };
	}

	/** JSON text with every number literal (outside strings) that holds a secret turned into a string, masked. */
	private quoteSecretNumbers(text: string): string {
		let out = '';
		let copied = 0;
		for (let i = 0; i < text.length; i++) {
			if (text[i] === '"') {
				for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
			} else if (NUMBER_CHARACTER.test(text[i])) {
				let end = i;
				while (end < text.length && NUMBER_CHARACTER.test(text[end])) end++;
				const literal = text.slice(i, end);
				const masked = this.text(literal);
				if (masked !== literal) {
					out += text.slice(copied, i) + JSON.stringify(masked);
					copied = end;
				}
				i = end - 1;
			}
		}
		return out + text.slice(copied);
	}

	private walk(value: unknown): unknown {
		if (typeof value === 'string') return this.text(value);
		if (typeof value === 'number' || typeof value === 'boolean') {
			const shown = String(value);
			const masked = this.text(shown);
			return masked === shown ? value : masked;
		}
		if (Array.isArray(value)) return value.map((entry) => this.walk(entry));
		if (value !== null && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([key, entry]) => [this.text(key), this.walk(entry)]));
		}
		return value;
	}
}
