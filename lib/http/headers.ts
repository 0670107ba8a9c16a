/** A header name: an RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What an HTTP client refuses in a header value (undici's own check): controls, CR, LF, and non-Latin-1 characters. */
const NOT_IN_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Why an HTTP client would refuse this header, or undefined when it is fine. Checked before
 * sending, so a bad header is reported as the input's fault (never as a network error that is
 * retried); the message never quotes the value, which may be a secret.
 */
export function headerProblem(name: string, value: string): string | undefined {
	if (!HEADER_NAME.test(name)) return 'not a valid header name';
	if (/[\r\n]/.test(value)) return 'the value contains a line break (CR or LF)';
	if (NOT_IN_HEADER_VALUE.test(value)) return 'the value contains a control or non-Latin-1 character';
	return undefined;
}
