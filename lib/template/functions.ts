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

/** Empty as Quokka sees it: null, or text that is empty or only whitespace. */
const isBlank = (value: Value) => value === null || (typeof value === 'string' && value.trim() === '');

/** `count` characters (code points) from the `skip`-th on, without splitting the whole text. */
function codePointSlice(s: string, skip: number, count: number): string {
	let start = 0;
	for (let skipped = 0; skipped < skip && start < s.length; skipped++) start += s.codePointAt(start)! > 0xffff ? 2 : 1;
	let end = start;
	for (let taken = 0; taken < count && end < s.length; taken++) end += s.codePointAt(end)! > 0xffff ? 2 : 1;
	return s.slice(start, end);
}

/** .NET's Convert.ToInt32 rounding of a decimal: halves go to the even neighbour. */
function roundHalfToEven(n: number): number {
	const rounded = Math.round(n);
	return Math.abs(n % 1) === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

/** Quokka refuses to truncate below this: the ellipsis alone takes three characters. */
const MIN_TRUNCATE_LENGTH = 5;
const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

/**
 * Quokka's Truncate: text longer than `limit` keeps its first `limit - 3` characters, drops a
 * dangling one-letter last word and any trailing characters that are not letters or digits,
 * and ends in "...".
 */
function truncate(s: string, limit: number): string {
	if (codePointSlice(s, limit, 1) === '') return s;
	const chars = Array.from(codePointSlice(s, 0, limit - 3));
	const words = chars.join('').split(' ').filter(Boolean);
	if (words.length > 0 && Array.from(words[words.length - 1]).length === 1) chars.pop();
	while (chars.length > 0 && !LETTER_OR_DIGIT.test(chars[chars.length - 1])) chars.pop();
	return `${chars.join('')}...`;
}

const digest = (algorithm: string) => (args: Value[], fail: Fail, fn: string) =>
	createHash(algorithm)
		.update(text(args[0], fn, fail), 'utf8')
		.digest('hex')
		.toUpperCase();

const definitions: Array<[string, number, number, (args: Value[], fail: Fail, fn: string) => Value]> = [
	['ToUpper', 1, 1, ([v], fail, fn) => text(v, fn, fail).toUpperCase()],
	['ToLower', 1, 1, ([v], fail, fn) => text(v, fn, fail).toLowerCase()],
	// As Quokka: words are split at spaces (runs of spaces fold into one, leading and trailing
	// ones go) and only the first word's first letter is raised.
	[
		'Capitalize',
		1,
		1,
		([v], fail, fn) => {
			const [first = '', ...rest] = text(v, fn, fail).split(' ').filter(Boolean);
			const initial = String.fromCodePoint(first.codePointAt(0) ?? 0);
			return [first && initial.toUpperCase() + first.slice(initial.length), ...rest].join(' ');
		},
	],
	['CapitalizeAllWords', 1, 1, ([v], fail, fn) => text(v, fn, fail).replace(/(^|\s)(\S)/g, (_m, space: string, first: string) => space + first.toUpperCase())],
	['ReplaceIfEmpty', 2, 2, ([v, replacement]) => (isBlank(v) ? replacement : v)],
	['IsEmpty', 1, 1, ([v]) => isBlank(v) || (Array.isArray(v) && v.length === 0)],
	['Length', 1, 1, ([v], fail, fn) => (Array.isArray(v) ? v.length : text(v, fn, fail).length)],
	[
		'Count',
		1,
		1,
		([v], fail, fn) => {
			if (!Array.isArray(v)) fail(`${fn} needs a list, got ${v === null ? 'null' : `a ${typeName(v)}`}`);
			return (v as Value[]).length;
		},
	],
	[
		'Truncate',
		2,
		2,
		([v, length], fail, fn) => {
			const limit = roundHalfToEven(number(length, fn, fail));
			if (limit < MIN_TRUNCATE_LENGTH) fail(`${fn} needs a length of ${MIN_TRUNCATE_LENGTH} or more, got ${limit}`);
			return truncate(text(v, fn, fail), limit);
		},
	],
	[
		'Substring',
		2,
		3,
		([v, start, length], fail, fn) => {
			const s = text(v, fn, fail);
			const from = integer(start, fn, fail);
			if (from < 1) fail(`${fn} counts from 1; got a start of ${from}`);
			const count = length === undefined ? s.length : integer(length, fn, fail);
			if (count < 0) fail(`${fn} needs a length of 0 or more, got ${count}`);
			return codePointSlice(s, from - 1, count);
		},
	],
	['Floor', 1, 1, ([v], fail, fn) => Math.floor(number(v, fn, fail))],
	['Ceiling', 1, 1, ([v], fail, fn) => Math.ceil(number(v, fn, fail))],
	[
		'If',
		3,
		3,
		([condition, then, otherwise], fail, fn) => {
			if (typeof condition !== 'boolean') fail(`${fn} needs a true/false condition, got ${condition === null ? 'null' : `a ${typeName(condition)}`}`);
			return condition ? then : otherwise;
		},
	],
	['MD5', 1, 1, digest('md5')],
	['SHA1', 1, 1, digest('sha1')],
	['SHA256', 1, 1, digest('sha256')],
	['SHA512', 1, 1, digest('sha512')],
	['ToBase64', 1, 1, ([v], fail, fn) => Buffer.from(text(v, fn, fail), 'utf8').toString('base64')],
	[
		'ToHexadecimal',
		1,
		1,
		([v], fail, fn) =>
			Buffer.from(text(v, fn, fail), 'utf8')
				.toString('hex')
				.toUpperCase(),
	],
];

/** The template functions by lower-cased name (names are case-insensitive). */
export const FUNCTIONS = new Map<string, TemplateFunction>(
	definitions.map(([name, minArgs, maxArgs, apply]) => [
		name.toLowerCase(),
		{ name, minArgs, maxArgs, apply: (args: Value[], fail: Fail) => apply(args, fail, name) },
	]),
);
