/**
 * The range of every numeric field of the package's credentials and node options, and the one
 * policy for reading them. The editor shows the same range (`typeOptions.minValue`/`maxValue`
 * come from here), but a value can still arrive outside it: an expression, an imported or
 * older workflow, a credential written through the API.
 */
export interface NumericField {
	/** As the editor labels it, with the parameter name: `Concurrency (concurrency)`. */
	label: string;
	min: number;
	max: number;
	default: number;
	/** Whole numbers only: a fraction is rounded (and said so). */
	integer?: boolean;
	/** 0 and below are refused rather than clamped: a timeout of 0 would make every request fail. */
	positive?: boolean;
}

const ONE_DAY_SECONDS = 86_400;

/**
 * The ranges, and why each maximum. Numbers past them were never useful and some were harmful
 * (a huge rate limit allocated until n8n ran out of memory; a timeout past 24.8 days fired at once).
 */
export const NUMERIC_FIELDS = {
	/** Webhook Integration. 10 000/s is a request every 0.1 ms: beyond any webhook receiver. */
	rateLimitPerSecond: { label: 'Rate Limit (rateLimitPerSecond)', min: 0, max: 10_000, default: 0 },
	/** Webhook Integration. Decimals allowed (0.001 s); a day is far past any webhook answer. */
	integrationTimeoutSeconds: { label: 'Timeout (timeoutSeconds)', min: 0.001, max: ONE_DAY_SECONDS, default: 30, positive: true },
	/** Webhook Dispatch. More requests in flight than this only queue in the connection pool. */
	concurrency: { label: 'Concurrency (concurrency)', min: 1, max: 100, default: 5, integer: true },
	/** Webhook Dispatch. With backoff capped at 60 s, more retries than this only fit a window of hours. */
	maxRetries: { label: 'Max Retries (maxRetries)', min: 0, max: 20, default: 3, integer: true },
	/** Webhook Dispatch. A day of retries: a receiver down longer needs a queue, not retries. */
	retryWindowSeconds: { label: 'Retry Window (retryWindowSeconds)', min: 0, max: ONE_DAY_SECONDS, default: 360 },
	/** Webhook Dispatch. Browsers stop at 20 redirects, n8n's HTTP Request node defaults to 21. */
	maxRedirects: { label: 'Max Redirects (maxRedirects)', min: 0, max: 50, default: 21, integer: true },
	/** Test Run Webhooks, Send Test: a test request waits at most an hour. */
	sendTestTimeoutSeconds: { label: 'Timeout (timeoutSeconds)', min: 1, max: 3_600, default: 30, positive: true },
	/** Test Run Webhooks, Get Many. */
	limit: { label: 'Limit (limit)', min: 1, max: 1_000, default: 50, integer: true },
	/** Test Run Trigger. A day: a delivery older than that is no test run's news. */
	timestampToleranceSeconds: { label: 'Timestamp Tolerance (timestampToleranceSeconds)', min: 1, max: ONE_DAY_SECONDS, default: 300 },
	/** Test Run Trigger. 30 days: longer than any platform keeps redelivering. */
	deduplicationWindowSeconds: { label: 'Deduplication Window (deduplicationWindowSeconds)', min: 0, max: 30 * ONE_DAY_SECONDS, default: 600 },
} satisfies Record<string, NumericField>;

/** The editor's bounds for a field, as `typeOptions`. */
export const rangeOptions = (field: NumericField) => ({ minValue: field.min, maxValue: field.max });

export interface NumericValue {
	value: number;
	/** Set when the value was brought into range: what was given and what is used instead. */
	notice?: string;
}

/**
 * Reads a numeric field: empty is the default; anything that is not a number (text, NaN, an
 * object) is refused with an error naming the field, as is a timeout of 0 or less; a number outside the range — Infinity
 * included — is clamped to it, and a fraction in a whole-number field rounded, with a notice
 * saying so (refusing would break saved workflows whose value used to be accepted).
 */
export function readNumericField(field: NumericField, raw: unknown): NumericValue {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return { value: field.default };
	const number = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*[-+]?(?:Infinity|[\d.]+(?:e[-+]?\d+)?)\s*$/i.test(raw) ? Number(raw) : NaN;
	if (Number.isNaN(number) || (field.positive && number <= 0)) {
		const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 40)) : typeof raw === 'number' ? String(raw) : typeof raw;
		throw new RangeError(`${field.label} must be a number from ${field.min} to ${field.max}, got ${shown}`);
	}
	const inRange = Math.min(field.max, Math.max(field.min, field.integer ? Math.round(number) : number));
	if (inRange === number) return { value: number };
	const why = number > field.max ? `above the maximum ${field.max}` : number < field.min ? `below the minimum ${field.min}` : 'not a whole number';
	return { value: inRange, notice: `${field.label} ${number} is ${why}: ${inRange} is used` };
}
