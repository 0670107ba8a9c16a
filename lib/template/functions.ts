import { createHash } from 'node:crypto';
import { formatText, typeName, type Value } from './values';

type Fail = (message: string) => never;

export interface TemplateFunction {
	name: string;
	minArgs: number;
	maxArgs: number;
	apply(args: Value[], fail: Fail): Value;
}

function text(value: Value, fn: string, fail: Fail): string {
	const printed = formatText(value);
	if (printed === undefined) {
		fail(value === null ? `${fn} got null; handle it with ReplaceIfEmpty or an "if"` : `${fn} needs text, got a ${typeName(value)}`);
	}
	return printed as string;
}

function number(value: Value, fn: string, fail: Fail): number {
	if (typeof value !== 'number') fail(`${fn} needs a number, got ${value === null ? 'null' : `a ${typeName(value)}`}`);
	return value as number;
}

function integer(value: Value, fn: string, fail: Fail): number {
	const n = number(value, fn, fail);
	if (!Number.isInteger(n)) fail(`${fn} needs a whole number, got ${n}`);
	return n;
}

const digest = (algorithm: string) => (args: Value[], fail: Fail, fn: string) =>
	createHash(algorithm).update(text(args[0], fn, fail), 'utf8').digest('hex').toUpperCase();

const definitions: Array<[string, number, number, (args: Value[], fail: Fail, fn: string) => Value]> = [
	['ToUpper', 1, 1, ([v], fail, fn) => text(v, fn, fail).toUpperCase()],
	['ToLower', 1, 1, ([v], fail, fn) => text(v, fn, fail).toLowerCase()],
	['Capitalize', 1, 1, ([v], fail, fn) => {
		const s = text(v, fn, fail);
		return s.charAt(0).toUpperCase() + s.slice(1);
	}],
	['CapitalizeAllWords', 1, 1, ([v], fail, fn) => text(v, fn, fail).replace(/(^|\s)(\S)/g, (_m, space: string, first: string) => space + first.toUpperCase())],
	['ReplaceIfEmpty', 2, 2, ([v, replacement]) => (v === null || v === '' ? replacement : v)],
	['IsEmpty', 1, 1, ([v]) => v === null || v === '' || (Array.isArray(v) && v.length === 0)],
	['Length', 1, 1, ([v], fail, fn) => (Array.isArray(v) ? v.length : text(v, fn, fail).length)],
	['Count', 1, 1, ([v], fail, fn) => {
		if (!Array.isArray(v)) fail(`${fn} needs a list, got ${v === null ? 'null' : `a ${typeName(v)}`}`);
		return (v as Value[]).length;
	}],
	['Truncate', 2, 2, ([v, length], fail, fn) => {
		const n = integer(length, fn, fail);
		if (n < 0) fail(`${fn} needs a length of 0 or more, got ${n}`);
		return Array.from(text(v, fn, fail)).slice(0, n).join('');
	}],
	['Substring', 2, 3, ([v, start, length], fail, fn) => {
		const chars = Array.from(text(v, fn, fail));
		const from = integer(start, fn, fail);
		if (from < 1) fail(`${fn} counts from 1; got a start of ${from}`);
		const count = length === undefined ? chars.length : integer(length, fn, fail);
		if (count < 0) fail(`${fn} needs a length of 0 or more, got ${count}`);
		return chars.slice(from - 1, from - 1 + count).join('');
	}],
	['Floor', 1, 1, ([v], fail, fn) => Math.floor(number(v, fn, fail))],
	['Ceiling', 1, 1, ([v], fail, fn) => Math.ceil(number(v, fn, fail))],
	['If', 3, 3, ([condition, then, otherwise], fail, fn) => {
		if (typeof condition !== 'boolean') fail(`${fn} needs a true/false condition, got ${condition === null ? 'null' : `a ${typeName(condition)}`}`);
		return condition ? then : otherwise;
	}],
	['MD5', 1, 1, digest('md5')],
	['SHA1', 1, 1, digest('sha1')],
	['SHA256', 1, 1, digest('sha256')],
	['SHA512', 1, 1, digest('sha512')],
	['ToBase64', 1, 1, ([v], fail, fn) => Buffer.from(text(v, fn, fail), 'utf8').toString('base64')],
	['ToHexadecimal', 1, 1, ([v], fail, fn) => Buffer.from(text(v, fn, fail), 'utf8').toString('hex').toUpperCase()],
];

/** The template functions by lower-cased name (names are case-insensitive). */
export const FUNCTIONS = new Map<string, TemplateFunction>(
	definitions.map(([name, minArgs, maxArgs, apply]) => [
		name.toLowerCase(),
		{ name, minArgs, maxArgs, apply: (args: Value[], fail: Fail) => apply(args, fail, name) },
	]),
);
