import fc from 'fast-check';

/** `text` with any of its letters upper-cased: for headers and hex digits that must match whatever their case. */
export const anyLetterCase = (text: string) =>
	fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
