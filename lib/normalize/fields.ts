import { z } from 'zod';
import { isoFromText } from './item';

/** A text field a platform may send as a string, null, or not at all; read as string | null. */
export const nullableText = z.string().nullable().optional().transform((value) => value ?? null);

/** A count, or null when it is missing or no count at all (negative, fractional, huge, not a number). */
export const nullableCount = z.unknown().transform((value) => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : null));

/** An id a platform sends as a number or a string; read as string | null. */
export const nullableId = z.unknown().transform((value) =>
	(typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value !== '') ? String(value) : null,
);

/** An ISO 8601 time as UTC ISO text, or null when missing or unreadable (never a 400 or a throw). */
export const isoTime = z.unknown().transform((value) => (typeof value === 'string' ? isoFromText(value) : null));
