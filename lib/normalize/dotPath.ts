/** A path into a parsed JSON body, as segments (`run.status` → ['run', 'status']; `jobs.0.name` indexes an array). */
export type DotPath = readonly string[];

/** Deeper than any real payload; bounds the walk. */
const MAX_SEGMENTS = 32;
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,8})$/;

/** A dot path, or what is wrong with it (in words that complete "the parameter … "). */
export function parseDotPath(text: string): DotPath | { error: string } {
	const trimmed = text.trim();
	if (trimmed === '') return { error: 'is empty' };
	const segments = trimmed.split('.');
	if (segments.some((segment) => segment === '')) return { error: 'has an empty segment (two dots in a row, or a dot at either end)' };
	if (segments.length > MAX_SEGMENTS) return { error: `has more than ${MAX_SEGMENTS} segments` };
	return segments;
}

/**
 * The value at a path, or undefined. Only the body's own fields are read: `__proto__`,
 * `constructor` or `toString` never reach an inherited member, and arrays only by index.
 */
export function readDotPath(value: unknown, path: DotPath): unknown {
	let current = value;
	for (const segment of path) {
		if (current === null || typeof current !== 'object') return undefined;
		if (Array.isArray(current) && !ARRAY_INDEX.test(segment)) return undefined;
		if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}
