import type { BinaryOp, Expr, Node } from './ast';

type TextNode = Extract<Node, { kind: 'text' }>;
type OutputNode = Extract<Node, { kind: 'output' }>;
import { compareNumbers, decimalAdd, decimalDivide, decimalMultiply, decimalSubtract } from './decimal';
import { TemplateError, templateError } from './errors';
import { FUNCTIONS } from './functions';
import { firstJsonError } from './jsonCheck';
import { parseTemplate } from './parser';
import { formatJson, formatText, typeName, type Value } from './values';

export interface TemplateLimits {
	/** Characters the rendered text may hold, and any text built while rendering (joins, variables, function results). */
	maxOutputLength: number;
	/** Characters that text operations (joins, functions, comparisons) may go through in one render, all together. */
	maxTextWork: number;
	/** Loop iterations in one render, all loops together. */
	maxIterations: number;
	/** Nesting of blocks, and of expressions. */
	maxDepth: number;
}

export const DEFAULT_LIMITS: TemplateLimits = { maxOutputLength: 1_000_000, maxTextWork: 20_000_000, maxIterations: 100_000, maxDepth: 64 };

export interface RenderOptions {
	/** Escape every output for a JSON string, and check that the result parses as JSON. */
	json?: boolean;
	/** Applied to every printed output in text mode (e.g. to encode it as a URL path segment). */
	encodeOutput?: (printed: string) => string;
}

/** Field names that would reach into JavaScript's object machinery: they resolve to nothing. */
const FORBIDDEN_FIELDS = new Set(['__proto__', 'constructor', 'prototype']);

/** What a scope answers for a name it does not hold (a variable may hold any value). */
const ABSENT: unique symbol = Symbol('absent');

/**
 * The variables of one block, by lower-cased name. A loop's own variable lives in a field and
 * the rest in a map made on first use: a loop pass then costs two assignments, not a map's
 * clear and set.
 */
class Scope {
	private value: Value = ABSENT;
	private others: Map<string, Value> | undefined;

	constructor(private readonly variable?: string) {}

	/** Starts a loop pass: the variable holds the item; what the last pass set is gone. */
	enter(item: Value): void {
		this.value = item;
		this.others = undefined;
	}

	get(name: string): Value | typeof ABSENT {
		if (name === this.variable) return this.value;
		const others = this.others;
		return others !== undefined && others.has(name) ? others.get(name) : ABSENT;
	}

	set(name: string, value: Value): void {
		if (name === this.variable) this.value = value;
		else (this.others ??= new Map()).set(name, value);
	}
}

class RenderState {
	out = '';
	iterations = 0;
	textWork = 0;
	/** Where the statement running now starts in the source: the place of an unexpected error. */
	at = 0;
	/** Output offset → template offset, kept in JSON mode to place JSON errors. */
	readonly segments: Array<{ outAt: number; templateAt: number; verbatim: boolean }> = [];
	/** Innermost scope last. */
	readonly scopes: Scope[] = [];

	constructor(
		readonly data: Value,
		readonly json: boolean,
		readonly encodeOutput: ((printed: string) => string) | undefined,
		readonly limits: TemplateLimits,
	) {}
}

type Evaluate = (state: RenderState) => Value;
type Execute = (state: RenderState) => void;

const hasOwn = Object.prototype.hasOwnProperty;

/** A name on a path, with what resolving it needs worked out once. */
interface PathStep {
	name: string;
	lower: string;
	/** Reaches into JavaScript's object machinery: resolves to nothing. */
	forbidden: boolean;
	at: number;
}

function pathStep(name: string, at: number): PathStep {
	const lower = name.toLowerCase();
	return { name, lower, forbidden: FORBIDDEN_FIELDS.has(lower), at };
}

/** A field by exact name, else ignoring case; `lower` is the name lower-cased, `forbidden` precomputed. */
function fieldOf(object: object, name: string, lower: string): { found: boolean; value?: Value } {
	const record = object as Record<string, Value>;
	if (hasOwn.call(record, name)) return { found: true, value: record[name] };
	for (const key in record) {
		if (hasOwn.call(record, key) && key.toLowerCase() === lower) return { found: true, value: record[key] };
	}
	return { found: false };
}

/** Where an expression begins in the source (a path starts at its first name). */
function startOf(expr: Expr): number {
	if (expr.kind === 'member' || expr.kind === 'index') return startOf(expr.object);
	if (expr.kind === 'binary') return startOf(expr.left);
	return expr.at;
}

function describe(value: Value): string {
	return value === null ? 'null' : `a ${typeName(value)}`;
}

/** Compiles a template source into closures once; renders many times. */
export class CompiledTemplate {
	private readonly run: Execute;

	constructor(
		private readonly source: string,
		private readonly limits: TemplateLimits = DEFAULT_LIMITS,
	) {
		this.run = this.block(parseTemplate(source, limits));
	}

	render(data: Value, options: RenderOptions = {}): string {
		const state = new RenderState(data, options.json === true, options.encodeOutput, this.limits);
		try {
			this.run(state);
		} catch (error) {
			// Anything but a TemplateError (a RangeError from the JavaScript engine, say) becomes one, at its statement.
			if (error instanceof TemplateError) throw error;
			this.fail(state.at, `Rendering stopped: ${(error as Error)?.message ?? String(error)}`);
		}
		const text = state.out;
		if (state.json) this.checkJson(text, state);
		return text;
	}

	private fail(at: number, message: string): never {
		throw templateError(this.source, at, message);
	}

	private checkJson(text: string, state: RenderState): void {
		try {
			JSON.parse(text);
			return;
		} catch {
			// Find out where, below.
		}
		const error = firstJsonError(text) ?? { at: text.length, expected: 'valid JSON' };
		// Points at the template text, or the output tag, that produced the offending character.
		let templateAt = this.source.length;
		for (const segment of error.at < text.length ? state.segments : []) {
			if (segment.outAt > error.at) break;
			templateAt = segment.verbatim ? segment.templateAt + (error.at - segment.outAt) : segment.templateAt;
		}
		const found = error.at < text.length ? `"${text.slice(error.at, error.at + 12)}"` : 'the end';
		this.fail(Math.min(templateAt, this.source.length), `The rendered text is not valid JSON: expected ${error.expected} but found ${found}`);
	}

	/**
	 * Counts text an operation goes through against the render's budget, so that time stays
	 * bounded even when every single text is within the length limit.
	 */
	private work(state: RenderState, characters: number, at: number): void {
		state.textWork += characters;
		if (state.textWork > state.limits.maxTextWork) this.fail(at, `Text operations went through more than ${state.limits.maxTextWork} characters`);
	}

	/** Refuses a text longer than the limit where it is built, before it can grow further. */
	private bounded(state: RenderState, length: number, at: number, what: string): void {
		if (length > state.limits.maxOutputLength) this.fail(at, `${what} would be longer than ${state.limits.maxOutputLength} characters`);
	}

	private emit(state: RenderState, text: string, templateAt: number, verbatim: boolean): void {
		if (state.json) state.segments.push({ outAt: state.out.length, templateAt, verbatim });
		state.out += text;
		if (state.out.length > state.limits.maxOutputLength) this.fail(templateAt, `Output is longer than ${state.limits.maxOutputLength} characters`);
	}

	private block(nodes: Node[]): Execute {
		const steps = this.steps(nodes);
		if (steps.length === 1) return steps[0];
		return (state) => {
			for (const step of steps) step(state);
		};
	}

	/**
	 * An output runs with the text around it as one step (a loop body is mostly text and
	 * outputs): the text before it, and the text after it unless that leads the next output.
	 */
	private steps(nodes: Node[]): Execute[] {
		const steps: Execute[] = [];
		const textAt = (i: number) => (nodes[i]?.kind === 'text' ? (nodes[i] as TextNode) : undefined);
		for (let i = 0; i < nodes.length; i++) {
			const leading = nodes[i + 1]?.kind === 'output' ? textAt(i) : undefined;
			if (leading) i++;
			const node = nodes[i];
			if (node.kind !== 'output') {
				steps.push(this.node(node));
				continue;
			}
			const trailing = nodes[i + 2]?.kind === 'output' ? undefined : textAt(i + 1);
			if (trailing) i++;
			steps.push(this.output(node, leading, trailing));
		}
		return steps;
	}

	private output(node: OutputNode, leading: TextNode | undefined, trailing: TextNode | undefined): Execute {
		const value = this.expr(node.expr);
		return (state) => {
			if (leading !== undefined) this.emit(state, leading.text, leading.at, true);
			state.at = node.at;
			const result = value(state);
			const printed = state.json ? formatJson(result) : formatText(result);
			if (printed === undefined) {
				this.fail(
					startOf(node.expr),
					result === null ? 'Cannot output null; handle it with ReplaceIfEmpty or an "if"' : `Cannot output ${describe(result)}; output one of its fields`,
				);
			}
			this.emit(state, state.encodeOutput && !state.json ? state.encodeOutput(printed) : printed, node.at, false);
			if (trailing !== undefined) this.emit(state, trailing.text, trailing.at, true);
		};
	}

	private node(node: Node): Execute {
		switch (node.kind) {
			case 'text':
				return (state) => this.emit(state, node.text, node.at, true);
			case 'output':
				return this.output(node, undefined, undefined);
			case 'if': {
				const branches = node.branches.map(({ condition, body }) => ({ condition: this.condition(condition, '"if"'), body: this.block(body) }));
				const otherwise = this.block(node.otherwise);
				const at = node.branches[0].condition.at;
				return (state) => {
					state.at = at;
					for (const branch of branches) {
						if (branch.condition(state)) return branch.body(state);
					}
					otherwise(state);
				};
			}
			case 'for': {
				const list = this.expr(node.list);
				// The loop runs the body's steps itself: one call fewer per pass.
				const body = this.steps(node.body);
				const variable = node.variable.toLowerCase();
				return (state) => {
					state.at = node.at;
					const items = list(state);
					if (!Array.isArray(items)) this.fail(node.list.at, `"for" iterates lists only, got ${describe(items)}`);
					const scope = new Scope(variable);
					state.scopes.push(scope);
					try {
						for (const item of items) {
							if (++state.iterations > state.limits.maxIterations) this.fail(node.at, `Loops ran more than ${state.limits.maxIterations} times`);
							scope.enter(item);
							for (const step of body) step(state);
						}
					} finally {
						state.scopes.pop();
					}
				};
			}
			case 'set': {
				const value = this.expr(node.expr);
				const name = node.name.toLowerCase();
				return (state) => {
					state.at = node.at;
					const result = value(state);
					// An outer variable of that name is updated; otherwise the innermost scope gets it.
					for (let i = state.scopes.length - 1; i >= 0; i--) {
						if (state.scopes[i].get(name) !== ABSENT) {
							state.scopes[i].set(name, result);
							return;
						}
					}
					if (state.scopes.length === 0) state.scopes.push(new Scope());
					state.scopes[state.scopes.length - 1].set(name, result);
				};
			}
		}
	}

	private condition(expr: Expr, where: string): (state: RenderState) => boolean {
		const value = this.expr(expr);
		return (state) => {
			const result = value(state);
			if (typeof result !== 'boolean') this.fail(expr.at, `The condition of ${where} must be true or false, got ${describe(result)}`);
			return result;
		};
	}

	private expr(expr: Expr): Evaluate {
		switch (expr.kind) {
			case 'literal': {
				const { value } = expr;
				return () => value;
			}
			case 'name':
			case 'member': {
				// A path (`f.name`, `run.app.name`) resolves in one closure, without a call per step.
				const steps: PathStep[] = [];
				let root: Expr = expr;
				for (; root.kind === 'member'; root = root.object) steps.unshift(pathStep(root.name, root.at));
				if (root.kind === 'name') {
					const head = pathStep(root.name, root.at);
					return (state) => this.follow(this.variable(state, head), steps);
				}
				const base = this.expr(root);
				return (state) => this.follow(base(state), steps);
			}
			case 'index': {
				const object = this.expr(expr.object);
				const index = this.expr(expr.index);
				return (state) => {
					const list = object(state);
					if (list === null) return null;
					const position = index(state);
					if (!Array.isArray(list)) this.fail(expr.at, `Only lists can be indexed, got ${describe(list)}`);
					if (typeof position !== 'number' || !Number.isInteger(position)) this.fail(expr.at, `A list index must be a whole number, got ${describe(position)}`);
					if (position < 0 || position >= list.length) this.fail(expr.at, `Index ${position} is outside the list (${list.length} items)`);
					return list[position];
				};
			}
			case 'call': {
				const fn = FUNCTIONS.get(expr.name)!;
				const args = expr.args.map((arg) => this.expr(arg));
				const fail = (message: string): never => this.fail(expr.at, message);
				const call = (state: RenderState, values: Value[]): Value => {
					let input = 0;
					for (const value of values) if (typeof value === 'string') input += value.length;
					this.work(state, input, expr.at);
					const result = fn.apply(values, fail);
					if (typeof result === 'string') {
						this.bounded(state, result.length, expr.at, `The result of ${fn.name}`);
						this.work(state, result.length, expr.at);
					}
					return result;
				};
				if (args.length === 1) {
					const [first] = args;
					return (state) => call(state, [first(state)]);
				}
				if (args.length === 2) {
					const [first, second] = args;
					return (state) => call(state, [first(state), second(state)]);
				}
				return (state) =>
					call(
						state,
						args.map((arg) => arg(state)),
					);
			}
			case 'unary': {
				if (expr.op === 'not') {
					const condition = this.condition(expr.operand, '"not"');
					return (state) => !condition(state);
				}
				const operand = this.expr(expr.operand);
				return (state) => {
					const value = operand(state);
					if (typeof value !== 'number') this.fail(expr.at, `"-" needs a number, got ${describe(value)}`);
					return -value;
				};
			}
			case 'binary':
				return this.binary(expr.op, expr.left, expr.right, expr.at);
		}
	}

	private binary(op: BinaryOp, leftExpr: Expr, rightExpr: Expr, at: number): Evaluate {
		if (op === 'and' || op === 'or') {
			const left = this.condition(leftExpr, `"${op}"`);
			const right = this.condition(rightExpr, `"${op}"`);
			return op === 'and' ? (state) => left(state) && right(state) : (state) => left(state) || right(state);
		}
		const left = this.expr(leftExpr);
		const right = this.expr(rightExpr);
		switch (op) {
			case '&':
				return (state) => {
					const a = this.joinable(left(state), leftExpr.at);
					const b = this.joinable(right(state), rightExpr.at);
					this.bounded(state, a.length + b.length, at, 'Text joined with "&"');
					this.work(state, a.length + b.length, at);
					return a + b;
				};
			case '+':
			case '-':
			case '*':
			case '/':
				return (state) => {
					const a = left(state);
					const b = right(state);
					if (typeof a !== 'number' || typeof b !== 'number') {
						this.fail(at, `"${op}" works on numbers only, got ${describe(a)} and ${describe(b)}${op === '+' ? '; join text with "&"' : ''}`);
					}
					if (op === '+') return decimalAdd(a, b);
					if (op === '-') return decimalSubtract(a, b);
					if (op === '*') return decimalMultiply(a, b);
					if (b === 0) this.fail(at, 'Division by zero');
					return decimalDivide(a, b);
				};
			case '=':
			case '!=': {
				const negate = op === '!=';
				return (state) => this.equal(state, left(state), right(state), at) !== negate;
			}
			default:
				return (state) => {
					const order = this.order(state, left(state), right(state), op, at);
					return op === '<' ? order < 0 : op === '>' ? order > 0 : op === '<=' ? order <= 0 : order >= 0;
				};
		}
	}

	/** A variable, innermost scope first, else a field of the data. */
	private variable(state: RenderState, { name, lower, forbidden, at }: PathStep): Value {
		for (let i = state.scopes.length - 1; i >= 0; i--) {
			const value = state.scopes[i].get(lower);
			if (value !== ABSENT) return value;
		}
		const data = state.data;
		if (!forbidden && data !== null && typeof data === 'object') {
			const field = fieldOf(data, name, lower);
			if (field.found) return field.value;
		}
		return this.fail(at, `Unknown field or variable "${name}"`);
	}

	private follow(value: Value, steps: PathStep[]): Value {
		for (const { name, lower, forbidden, at } of steps) {
			// A null anywhere on a path makes the whole path null.
			if (value === null) return null;
			if (typeof value !== 'object' || Array.isArray(value)) this.fail(at, `"${name}" is not a field of ${describe(value)}`);
			const record = value as Record<string, Value>;
			if (forbidden) this.fail(at, `Field "${name}" does not exist`);
			if (hasOwn.call(record, name)) {
				value = record[name];
				continue;
			}
			const field = fieldOf(record, name, lower);
			if (!field.found) this.fail(at, `Field "${name}" does not exist`);
			value = field.value;
		}
		return value;
	}

	private joinable(value: Value, at: number): string {
		const printed = formatText(value);
		if (printed === undefined)
			this.fail(at, value === null ? 'Cannot join null with "&"; handle it with ReplaceIfEmpty' : `Cannot join ${describe(value)} with "&"`);
		return printed;
	}

	private equal(state: RenderState, a: Value, b: Value, at: number): boolean {
		if (a === null || b === null) return a === b;
		if (typeof a === 'string' && typeof b === 'string') {
			this.work(state, a.length + b.length, at);
			return a.toLowerCase() === b.toLowerCase();
		}
		if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b) === 0;
		if (typeof a === 'boolean' && typeof b === 'boolean') return a === b;
		return this.fail(at, `Cannot compare ${describe(a)} with ${describe(b)}`);
	}

	private order(state: RenderState, a: Value, b: Value, op: string, at: number): number {
		if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b);
		if (typeof a === 'string' && typeof b === 'string') {
			this.work(state, a.length + b.length, at);
			const x = a.toLowerCase();
			const y = b.toLowerCase();
			return x < y ? -1 : x > y ? 1 : 0;
		}
		return this.fail(at, `"${op}" compares two numbers or two texts, got ${describe(a)} and ${describe(b)}`);
	}
}
