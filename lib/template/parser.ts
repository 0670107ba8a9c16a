import type { BinaryOp, Expr, Node } from './ast';
import { templateError } from './errors';
import { FUNCTIONS } from './functions';

export interface ParseLimits {
	maxDepth: number;
}

type Token =
	| { type: 'number'; value: number; at: number }
	| { type: 'string'; value: string; at: number }
	| { type: 'ident'; value: string; lower: string; at: number }
	| { type: 'op'; value: string; at: number }
	| { type: 'end'; at: number };

const OPERATORS = ['!=', '<>', '<=', '>=', '==', '&', '+', '-', '*', '/', '(', ')', ',', '.', '|', '=', '<', '>', '[', ']'];
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** Splits the inside of one tag into tokens; offsets are absolute in the template. */
function tokenize(source: string, from: number, to: number): Token[] {
	const tokens: Token[] = [];
	let i = from;
	while (i < to) {
		const c = source[i];
		if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
			i++;
		} else if (c === "'" || c === '"') {
			const start = i;
			let value = '';
			i++;
			while (i < to && source[i] !== c) {
				if (source[i] === '\\' && i + 1 < to) i++;
				value += source[i++];
			}
			if (i >= to) throw templateError(source, start, 'String is not closed');
			i++;
			tokens.push({ type: 'string', value, at: start });
		} else if (c >= '0' && c <= '9') {
			const start = i;
			while (i < to && source[i] >= '0' && source[i] <= '9') i++;
			if (source[i] === '.' && source[i + 1] >= '0' && source[i + 1] <= '9') {
				i++;
				while (i < to && source[i] >= '0' && source[i] <= '9') i++;
			}
			tokens.push({ type: 'number', value: Number(source.slice(start, i)), at: start });
		} else if (IDENT_START.test(c)) {
			const start = i;
			while (i < to && IDENT_PART.test(source[i])) i++;
			const value = source.slice(start, i);
			tokens.push({ type: 'ident', value, lower: value.toLowerCase(), at: start });
		} else {
			const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
			if (!op) throw templateError(source, i, `Unexpected character "${c}"`);
			tokens.push({ type: 'op', value: op === '<>' ? '!=' : op === '==' ? '=' : op, at: i });
			i += op.length;
		}
	}
	tokens.push({ type: 'end', at: to });
	return tokens;
}

const COMPARISONS = new Set(['=', '!=', '<', '>', '<=', '>=']);
const KEYWORDS = new Set(['and', 'or', 'not', 'null', 'true', 'false', 'in']);

/** Recursive-descent parser over the tokens of one tag. */
class ExpressionParser {
	private position = 0;
	private depth = 0;

	constructor(
		private readonly source: string,
		private readonly tokens: Token[],
		private readonly limits: ParseLimits,
	) {}

	private peek(): Token {
		return this.tokens[this.position];
	}

	private next(): Token {
		return this.tokens[this.position++];
	}

	private fail(token: Token, message: string): never {
		throw templateError(this.source, token.at, message);
	}

	private describe(token: Token): string {
		if (token.type === 'end') return 'the end of the tag';
		return `"${'value' in token ? String(token.value) : ''}"`;
	}

	isOp(value: string): boolean {
		const token = this.peek();
		return token.type === 'op' && token.value === value;
	}

	isWord(lower: string): boolean {
		const token = this.peek();
		return token.type === 'ident' && token.lower === lower;
	}

	expectOp(value: string): Token {
		const token = this.next();
		if (token.type !== 'op' || token.value !== value) this.fail(token, `Expected "${value}" but found ${this.describe(token)}`);
		return token;
	}

	expectWord(lower: string): Token {
		const token = this.next();
		if (token.type !== 'ident' || token.lower !== lower) this.fail(token, `Expected "${lower}" but found ${this.describe(token)}`);
		return token;
	}

	identifier(what: string): Extract<Token, { type: 'ident' }> {
		const token = this.next();
		if (token.type !== 'ident' || KEYWORDS.has(token.lower)) this.fail(token, `Expected ${what} but found ${this.describe(token)}`);
		return token;
	}

	/** The next word, lower-cased, when it is one (statement keywords); '' otherwise. */
	identifierOrKeyword(): string {
		const token = this.peek();
		if (token.type !== 'ident') return '';
		this.next();
		return token.lower;
	}

	atEnd(): boolean {
		return this.peek().type === 'end';
	}

	expectEnd(): void {
		const token = this.peek();
		if (token.type !== 'end') this.fail(token, `Unexpected ${this.describe(token)}`);
	}

	/** expr ('|' Fn(args))* — the filter form passes the value as the first argument. */
	outputExpression(): Expr {
		let expr = this.expression();
		while (this.isOp('|')) {
			this.next();
			const name = this.identifier('a function name after "|"');
			const args = this.isOp('(') ? this.arguments() : [];
			expr = this.call(name, [expr, ...args]);
		}
		return expr;
	}

	expression(): Expr {
		if (++this.depth > this.limits.maxDepth) this.fail(this.peek(), `Expression is nested more than ${this.limits.maxDepth} levels deep`);
		const expr = this.or();
		this.depth--;
		return expr;
	}

	private binaryChain(operand: () => Expr, matches: () => BinaryOp | undefined): Expr {
		let left = operand();
		for (let op = matches(); op; op = matches()) {
			const token = this.next();
			left = { kind: 'binary', op, left, right: operand(), at: token.at };
		}
		return left;
	}

	private or(): Expr {
		return this.binaryChain(
			() => this.and(),
			() => (this.isWord('or') ? 'or' : undefined),
		);
	}

	private and(): Expr {
		return this.binaryChain(
			() => this.not(),
			() => (this.isWord('and') ? 'and' : undefined),
		);
	}

	private not(): Expr {
		if (this.isWord('not')) {
			const token = this.next();
			return { kind: 'unary', op: 'not', operand: this.not(), at: token.at };
		}
		return this.comparison();
	}

	private comparison(): Expr {
		const left = this.concat();
		const token = this.peek();
		if (token.type === 'op' && COMPARISONS.has(token.value)) {
			this.next();
			return { kind: 'binary', op: token.value as BinaryOp, left, right: this.concat(), at: token.at };
		}
		return left;
	}

	private concat(): Expr {
		return this.binaryChain(
			() => this.additive(),
			() => (this.isOp('&') ? '&' : undefined),
		);
	}

	private additive(): Expr {
		return this.binaryChain(
			() => this.multiplicative(),
			() => (this.isOp('+') ? '+' : this.isOp('-') ? '-' : undefined),
		);
	}

	private multiplicative(): Expr {
		return this.binaryChain(
			() => this.unary(),
			() => (this.isOp('*') ? '*' : this.isOp('/') ? '/' : undefined),
		);
	}

	private unary(): Expr {
		if (this.isOp('-')) {
			const token = this.next();
			return { kind: 'unary', op: '-', operand: this.unary(), at: token.at };
		}
		return this.postfix();
	}

	private postfix(): Expr {
		let expr = this.primary();
		for (;;) {
			if (this.isOp('.')) {
				this.next();
				const name = this.identifier('a field name after "."');
				expr = { kind: 'member', object: expr, name: name.value, at: name.at };
			} else if (this.isOp('[')) {
				const open = this.next();
				const index = this.expression();
				this.expectOp(']');
				expr = { kind: 'index', object: expr, index, at: open.at };
			} else {
				return expr;
			}
		}
	}

	private arguments(): Expr[] {
		this.expectOp('(');
		const args: Expr[] = [];
		if (!this.isOp(')')) {
			do {
				if (args.length > 0) this.next();
				args.push(this.expression());
			} while (this.isOp(','));
		}
		this.expectOp(')');
		return args;
	}

	private call(name: Extract<Token, { type: 'ident' }>, args: Expr[]): Expr {
		const fn = FUNCTIONS.get(name.lower);
		if (!fn) this.fail(name, `Unknown function "${name.value}"`);
		if (args.length < fn.minArgs || args.length > fn.maxArgs) {
			const expected = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
			this.fail(name, `${fn.name} takes ${expected} argument${fn.maxArgs === 1 ? '' : 's'}, got ${args.length}`);
		}
		return { kind: 'call', name: name.lower, args, at: name.at };
	}

	private primary(): Expr {
		const token = this.peek();
		switch (token.type) {
			case 'number':
			case 'string':
				this.next();
				return { kind: 'literal', value: token.value, at: token.at };
			case 'ident': {
				this.next();
				if (token.lower === 'null') return { kind: 'literal', value: null, at: token.at };
				if (token.lower === 'true' || token.lower === 'false') return { kind: 'literal', value: token.lower === 'true', at: token.at };
				if (KEYWORDS.has(token.lower)) this.fail(token, `Unexpected keyword "${token.value}"`);
				if (this.isOp('(')) return this.call(token, this.arguments());
				return { kind: 'name', name: token.value, at: token.at };
			}
			case 'op':
				if (token.value === '(') {
					this.next();
					const inner = this.expression();
					this.expectOp(')');
					return inner;
				}
				return this.fail(token, `Unexpected ${this.describe(token)}`);
			default:
				return this.fail(token, 'Expected a value but the tag ended');
		}
	}
}

/** Finds the "}" that closes a tag, skipping strings. */
function closingBrace(source: string, from: number, open: number): number {
	let quote: string | undefined;
	let quoteAt = 0;
	for (let i = from; i < source.length; i++) {
		const c = source[i];
		if (quote) {
			if (c === '\\') i++;
			else if (c === quote) quote = undefined;
		} else if (c === "'" || c === '"') {
			quote = c;
			quoteAt = i;
		} else if (c === '}') return i;
	}
	throw quote ? templateError(source, quoteAt, 'String is not closed') : templateError(source, open, 'Tag is not closed with "}"');
}

type OpenBlock =
	| { kind: 'if'; node: Extract<Node, { kind: 'if' }>; body: Node[]; at: number; sawElse: boolean }
	| { kind: 'for'; node: Extract<Node, { kind: 'for' }>; body: Node[]; at: number };

/** Parses a whole template into nodes. */
export function parseTemplate(source: string, limits: ParseLimits): Node[] {
	const root: Node[] = [];
	const stack: OpenBlock[] = [];
	const current = () => (stack.length ? stack[stack.length - 1].body : root);
	let position = 0;

	while (position < source.length) {
		const dollar = source.indexOf('${', position);
		const at = source.indexOf('@{', position);
		const start = dollar === -1 ? at : at === -1 ? dollar : Math.min(dollar, at);
		if (start === -1) {
			current().push({ kind: 'text', text: source.slice(position), at: position });
			break;
		}
		if (start > position) current().push({ kind: 'text', text: source.slice(position, start), at: position });

		if (source.startsWith('@{*', start)) {
			const end = source.indexOf('*}', start + 3);
			if (end === -1) throw templateError(source, start, 'Comment is not closed with "*}"');
			position = end + 2;
			continue;
		}
		const close = closingBrace(source, start + 2, start);
		const parser = new ExpressionParser(source, tokenize(source, start + 2, close), limits);
		position = close + 1;

		if (source[start] === '$') {
			if (parser.atEnd()) throw templateError(source, start, 'Empty output tag');
			const expr = parser.outputExpression();
			parser.expectEnd();
			current().push({ kind: 'output', expr, at: start });
			continue;
		}

		const keyword = parser.identifierOrKeyword();
		const top = stack[stack.length - 1];
		switch (keyword) {
			case 'if': {
				if (stack.length >= limits.maxDepth) throw templateError(source, start, `Blocks are nested more than ${limits.maxDepth} levels deep`);
				const condition = parser.expression();
				parser.expectEnd();
				const body: Node[] = [];
				const node: Extract<Node, { kind: 'if' }> = { kind: 'if', branches: [{ condition, body }], otherwise: [] };
				current().push(node);
				stack.push({ kind: 'if', node, body, at: start, sawElse: false });
				break;
			}
			case 'else': {
				if (top?.kind !== 'if') throw templateError(source, start, '"else" without an open "if"');
				if (top.sawElse) throw templateError(source, start, '"else" after "else" in the same "if"');
				if (parser.isWord('if')) {
					parser.expectWord('if');
					const condition = parser.expression();
					parser.expectEnd();
					top.body = [];
					top.node.branches.push({ condition, body: top.body });
				} else {
					parser.expectEnd();
					top.sawElse = true;
					top.body = top.node.otherwise;
				}
				break;
			}
			case 'for': {
				if (stack.length >= limits.maxDepth) throw templateError(source, start, `Blocks are nested more than ${limits.maxDepth} levels deep`);
				const variable = parser.identifier('a loop variable name');
				parser.expectWord('in');
				const list = parser.expression();
				parser.expectEnd();
				const node: Extract<Node, { kind: 'for' }> = { kind: 'for', variable: variable.value, list, body: [], at: start };
				current().push(node);
				stack.push({ kind: 'for', node, body: node.body, at: start });
				break;
			}
			case 'end': {
				const what = parser.identifierOrKeyword();
				parser.expectEnd();
				if (what !== 'if' && what !== 'for') throw templateError(source, start, `"end" must be followed by "if" or "for"`);
				if (!top) throw templateError(source, start, `"end ${what}" without an open "${what}"`);
				if (top.kind !== what) throw templateError(source, start, `"end ${what}" closes the "${top.kind}" opened at ${describeAt(source, top.at)}`);
				stack.pop();
				break;
			}
			case 'set': {
				const name = parser.identifier('a variable name');
				parser.expectOp('=');
				const expr = parser.expression();
				parser.expectEnd();
				current().push({ kind: 'set', name: name.value, expr, at: start });
				break;
			}
			default:
				throw templateError(source, start, keyword ? `Unknown statement "${keyword}"` : 'Empty statement tag');
		}
	}
	const unclosed = stack[stack.length - 1];
	if (unclosed) throw templateError(source, unclosed.at, `"${unclosed.kind}" is not closed with "@{ end ${unclosed.kind} }"`);
	return root;
}

function describeAt(source: string, offset: number): string {
	const error = templateError(source, offset, '');
	return `line ${error.line}, column ${error.column}`;
}
