import { z } from 'zod';

/** A text field a platform may send as a string, null, or not at all; read as string | null. */
export const nullableText = z.string().nullable().optional().transform((value) => value ?? null);
