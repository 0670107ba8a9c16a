import { z } from 'zod';
import { isoFromText } from './item';

/** A text field a platform may send as a string, null, or not at all; read as string | null. */
export const nullableText = z
	.string()
	.nullable()
	.optional()
	.transform((value) => value ?? null);

/** A whole number of things (tests, milliseconds) a JavaScript number holds exactly: 0 … 2^53 − 1. */
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** A count, or null when it is missing or no count at all (negative, fractional, huge, not a number). */
export const nullableCount = z.unknown().transform((value) => (isCount(value) ? value : null));

/** A count the body must hold: anything else, a count beyond 2^53 − 1 included, is a 400 naming the field. */
export const requiredCount = z.number().int().nonnegative().safe();

/**
 * A count a shape must hold as a number or null (this package's own item): a number that is no
 * count (negative, fractional, beyond 2^53 − 1, Infinity from 1e400) is read as null.
 */
export const countOrNull = z
	.number()
	.nullable()
	.transform((value) => (isCount(value) ? value : null));

/** An id a platform sends as a number or a string; read as string | null (a number beyond 2^53 has lost its digits: null). */
export const nullableId = z
	.unknown()
	.transform((value) => ((typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && value !== '') ? String(value) : null));

/** An ISO 8601 time as UTC ISO text, or null when missing or unreadable (never a 400 or a throw). */
export const isoTime = z.unknown().transform((value) => (typeof value === 'string' ? isoFromText(value) : null));

/** A time a shape must hold as text or null (this package's own item); text that is no ISO 8601 time is read as null. */
export const isoTimeOrNull = z
	.string()
	.nullable()
	.transform((value) => isoFromText(value));
