/** A header name: an RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What an HTTP client refuses in a header value (undici's own check): controls, CR, LF, and non-Latin-1 characters. */
const NOT_IN_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Headers that manage the connection itself, which the HTTP client owns: undici refuses
 * Transfer-Encoding, Keep-Alive, Upgrade and Expect outright, and the rest are hop-by-hop
 * (RFC 9110 §7.6.1) and mean nothing for one request sent whole.
 */
const CONNECTION_HEADERS: Record<string, string> = {
	connection: 'the HTTP client manages the connection',
	'proxy-connection': 'the HTTP client manages the connection',
	'keep-alive': 'the HTTP client manages the connection',
	upgrade: 'a request cannot switch protocols',
	'transfer-encoding': 'the HTTP client frames the body itself',
	te: 'the HTTP client negotiates transfer codings itself',
	expect: 'the request is sent whole, without waiting for 100 Continue',
};

/** The body a set of headers goes with: its size, or `any` when they are kept for bodies not yet written (a platform's hook). */
export type HeaderBody = { bytes: number } | 'any';

export interface HeaderRefusal {
	name: string;
	reason: string;
}

function refusal(name: string, value: string, body: HeaderBody): string | undefined {
	if (!HEADER_NAME.test(name)) return 'not a valid header name';
	if (/[\r\n]/.test(value)) return 'the value contains a line break (CR or LF)';
	if (NOT_IN_HEADER_VALUE.test(value)) return 'the value contains a control or non-Latin-1 character';
	const lower = name.toLowerCase();
	if (CONNECTION_HEADERS[lower]) return `cannot be set: ${CONNECTION_HEADERS[lower]}`;
	if (lower === 'content-length') {
		if (body === 'any') return 'cannot be set: the length is computed from each body';
		if (value.trim() !== String(body.bytes)) return `does not match the body's ${body.bytes} bytes; leave it out, it is computed`;
	}
	return undefined;
}

/**
 * The first header an HTTP client would refuse, or a request would carry wrongly, with why;
 * undefined when every one can be sent. Checked before sending, so a bad header is the input's
 * fault (never a network error that is retried); the reason never quotes the value, which may
 * be a secret.
 */
export function refusedHeader(headers: Readonly<Record<string, string>>, body: HeaderBody): HeaderRefusal | undefined {
	const seen = new Map<string, string>();
	for (const [name, value] of Object.entries(headers)) {
		const reason = refusal(name, value, body);
		if (reason) return { name, reason };
		const earlier = seen.get(name.toLowerCase());
		if (earlier !== undefined) return { name, reason: `given twice (also as ${JSON.stringify(earlier)})` };
		seen.set(name.toLowerCase(), name);
	}
	return undefined;
}

/** Headers as a request received them: Node's server gives repeated ones as a list. */
export type Headers = Record<string, string | string[] | undefined>;

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value);

/** Reads a header case-insensitively; a repeated header counts as missing (ambiguous). */
export function header(headers: Headers, name: string): string | undefined {
	const wanted = name.toLowerCase();
	// Node's HTTP server gives lower-case names: a direct hit needs no scan.
	if (Object.prototype.hasOwnProperty.call(headers, wanted)) return single(headers[wanted]);
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === wanted) return single(value);
	}
	return undefined;
}
