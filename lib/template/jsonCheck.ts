/**
 * Finds where a text stops being valid JSON: the offset of the first error and what was
 * expected there, or undefined when the whole text is one valid JSON value. (JSON.parse in
 * Node 20 does not always say where it failed.)
 */
export function firstJsonError(text: string): { at: number; expected: string } | undefined {
	let i = 0;
	const fail = (expected: string): never => {
		throw { at: i, expected };
	};
	const space = () => {
		while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
	};
	const string = () => {
		i++;
		while (i < text.length && text[i] !== '"') {
			const code = text.charCodeAt(i);
			if (code < 0x20) fail('a control character to be escaped');
			if (text[i] === '\\') {
				i++;
				if (text[i] === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits after \\u');
					i += 4;
				} else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('a valid escape');
			}
			i++;
		}
		if (i >= text.length) fail('a closing quote');
		i++;
	};
	const numberPattern = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
	const number = () => {
		numberPattern.lastIndex = i;
		const match = numberPattern.exec(text);
		if (!match) fail('a number');
		i += match![0].length;
	};
	const value = (depth: number): void => {
		if (depth > 512) fail('less nesting');
		space();
		const c = text[i];
		if (c === '{') {
			i++;
			space();
			if (text[i] === '}') {
				i++;
				return;
			}
			for (;;) {
				space();
				if (text[i] !== '"') fail('a property name in double quotes');
				string();
				space();
				if (text[i] !== ':') fail('":"');
				i++;
				value(depth + 1);
				space();
				if (text[i] === ',') i++;
				else if (text[i] === '}') {
					i++;
					return;
				} else fail('"," or "}"');
			}
		} else if (c === '[') {
			i++;
			space();
			if (text[i] === ']') {
				i++;
				return;
			}
			for (;;) {
				value(depth + 1);
				space();
				if (text[i] === ',') i++;
				else if (text[i] === ']') {
					i++;
					return;
				} else fail('"," or "]"');
			}
		} else if (c === '"') string();
		else if (c === '-' || (c >= '0' && c <= '9')) number();
		else if (text.startsWith('true', i)) i += 4;
		else if (text.startsWith('false', i)) i += 5;
		else if (text.startsWith('null', i)) i += 4;
		else fail('a JSON value');
	};
	try {
		value(0);
		space();
		if (i < text.length) fail('the end of the text');
		return undefined;
	} catch (error) {
		return error as { at: number; expected: string };
	}
}
