import { CompiledTemplate, DEFAULT_LIMITS, type TemplateLimits } from './compile';

export { TemplateError } from './errors';
export { CompiledTemplate, DEFAULT_LIMITS, type RenderOptions, type TemplateLimits } from './compile';

const CACHE_SIZE = 256;
const cache = new Map<string, CompiledTemplate>();

/** Compiles a template, or takes it from a small least-recently-used cache. */
export function compileTemplate(source: string): CompiledTemplate {
	const cached = cache.get(source);
	if (cached) {
		cache.delete(source);
		cache.set(source, cached);
		return cached;
	}
	const compiled = new CompiledTemplate(source, DEFAULT_LIMITS);
	if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
	cache.set(source, compiled);
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
