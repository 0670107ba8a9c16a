/** A value while rendering: JSON data, or what expressions make of it. */
export type Value = unknown;

export function typeName(value: Value): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'list';
	if (typeof value === 'object') return 'object';
	if (typeof value === 'number') return 'number';
	return typeof value;
}

/** Numbers print as integers when within 1e-8 of one, otherwise rounded to 2 decimals. */
export function formatNumber(value: number): string {
	const rounded = Math.round(value);
	if (Math.abs(value - rounded) < 1e-8) return String(rounded === 0 ? 0 : rounded);
	return String(Number(value.toFixed(2)));
}

/** How a value prints as text; undefined when it cannot be printed (null, lists, objects). */
export function formatText(value: Value): string | undefined {
	switch (typeof value) {
		case 'string':
			return value;
		case 'number':
			return Number.isFinite(value) ? formatNumber(value) : undefined;
		case 'boolean':
			return value ? 'True' : 'False';
		default:
			return undefined;
	}
}

/** How a value prints inside a JSON document: strings escaped, numbers and booleans as literals. */
export function formatJson(value: Value): string | undefined {
	switch (typeof value) {
		case 'string':
			return JSON.stringify(value).slice(1, -1);
		case 'number':
			return Number.isFinite(value) ? JSON.stringify(value) : undefined;
		case 'boolean':
			return value ? 'true' : 'false';
		default:
			return undefined;
	}
}
