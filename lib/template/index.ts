import { CompiledTemplate, DEFAULT_LIMITS, type TemplateLimits } from './compile';

export { TemplateError } from './errors';
export { CompiledTemplate, DEFAULT_LIMITS, type RenderOptions, type TemplateLimits } from './compile';

const CACHE_SIZE = 256;
// Two generations: a template used since the last turnover stays, the rest go at the next one.
// A hit is one lookup, with none of a strict LRU's reordering on every use (a Dispatch request
// renders three templates).
let recent = new Map<string, CompiledTemplate>();
let older = new Map<string, CompiledTemplate>();

/** Compiles a template, or takes it from a small cache of recently used ones. */
export function compileTemplate(source: string): CompiledTemplate {
	const hit = recent.get(source);
	if (hit) return hit;
	const compiled = older.get(source) ?? new CompiledTemplate(source, DEFAULT_LIMITS);
	if (recent.size >= CACHE_SIZE / 2) {
		older = recent;
		recent = new Map();
	}
	recent.set(source, compiled);
	return compiled;
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
