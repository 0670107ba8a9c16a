import { CompiledTemplate, DEFAULT_LIMITS, type TemplateLimits } from './compile';

export { TemplateError } from './errors';
export { CompiledTemplate, DEFAULT_LIMITS, type RenderOptions, type TemplateLimits } from './compile';

const CACHE_ENTRIES = 256;
/**
 * The sum of source lengths the cache holds (both generations together): a compiled template
 * takes memory in proportion to its source, so a count alone let hundreds of large ones (a
 * body built per item by an expression) stay on the heap long after the execution.
 */
export const CACHE_SOURCE_CHARS = 2 * 1024 * 1024;
// Two generations: a template used since the last turnover stays, the rest go at the next one.
// A hit is one lookup, with none of a strict LRU's reordering on every use (a Dispatch request
// renders three templates).
let recent = new Map<string, CompiledTemplate>();
let recentChars = 0;
let older = new Map<string, CompiledTemplate>();
let olderChars = 0;

/**
 * Compiles a template, or takes it from a small cache of recently used ones. One larger than a
 * generation's share of CACHE_SOURCE_CHARS is compiled for this use only.
 */
export function compileTemplate(source: string): CompiledTemplate {
	const hit = recent.get(source);
	if (hit) return hit;
	let compiled = older.get(source);
	if (compiled) {
		older.delete(source);
		olderChars -= source.length;
	} else compiled = new CompiledTemplate(source, DEFAULT_LIMITS);
	if (source.length > CACHE_SOURCE_CHARS / 2) return compiled;
	if (recent.size >= CACHE_ENTRIES / 2 || recentChars + source.length > CACHE_SOURCE_CHARS / 2) {
		[older, olderChars] = [recent, recentChars];
		[recent, recentChars] = [new Map(), 0];
	}
	recent.set(source, compiled);
	recentChars += source.length;
	return compiled;
}

/** What the cache holds: entries and the sum of their source lengths. */
export function templateCacheSize(): { entries: number; sourceChars: number } {
	return { entries: recent.size + older.size, sourceChars: recentChars + olderChars };
}

/**
 * Renders a template in the Maestra/Mindbox syntax against `data`. With `json: true`, every
 * output is escaped for a JSON string (numbers and booleans as literals) and the result must
 * parse as JSON. Throws `TemplateError` (with `line` and `column`) for any problem.
 */
export function renderTemplate(source: string, data: object, options: { json?: boolean; limits?: Partial<TemplateLimits> } = {}): string {
	const template = options.limits ? new CompiledTemplate(source, { ...DEFAULT_LIMITS, ...options.limits }) : compileTemplate(source);
	return template.render(data, { json: options.json });
}
