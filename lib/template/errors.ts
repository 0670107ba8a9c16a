/** A template that cannot be compiled or rendered; says where, with the line of source. */
export class TemplateError extends Error {
	constructor(
		message: string,
		readonly line: number,
		readonly column: number,
		readonly excerpt: string,
	) {
		super(`${message} (line ${line}, column ${column}: ${excerpt})`);
		this.name = 'TemplateError';
	}
}

/** Turns an offset into line and column (both 1-based) and a short excerpt of that line. */
export function locate(source: string, offset: number): { line: number; column: number; excerpt: string } {
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < offset && i < source.length; i++) {
		if (source.charCodeAt(i) === 10) {
			line++;
			lineStart = i + 1;
		}
	}
	const lineEnd = source.indexOf('\n', lineStart);
	const text = source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
	const column = offset - lineStart + 1;
	const from = Math.max(0, column - 31);
	const excerpt = (from > 0 ? '…' : '') + text.slice(from, from + 60).trim() + (text.length > from + 60 ? '…' : '');
	return { line, column, excerpt };
}

export function templateError(source: string, offset: number, message: string): TemplateError {
	const { line, column, excerpt } = locate(source, offset);
	return new TemplateError(message, line, column, excerpt);
}
