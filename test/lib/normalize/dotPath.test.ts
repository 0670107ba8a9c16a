import fc from 'fast-check';
import { parseDotPath, readDotPath } from '../../../lib/normalize/dotPath';

describe('dot paths', () => {
	it('parses segments and refuses empty ones or too many', () => {
		expect(parseDotPath(' data.run.id ')).toEqual(['data', 'run', 'id']);
		expect(parseDotPath('')).toEqual({ error: 'is empty' });
		expect(parseDotPath('a..b')).toMatchObject({ error: expect.stringMatching(/empty segment/) });
		expect(parseDotPath('.')).toMatchObject({ error: expect.stringMatching(/empty segment/) });
		expect(parseDotPath(new Array(33).fill('a').join('.'))).toEqual({ error: 'has more than 32 segments' });
		expect(parseDotPath(new Array(32).fill('a').join('.'))).toHaveLength(32);
	});

	const body = JSON.parse('{"a":{"b":[{"c":1},{"c":"two"}]},"__proto__":{"polluted":"yes"},"n":5,"s":"text"}') as unknown;
	it.each([
		[['a', 'b', '1', 'c'], 'two'],
		[['a', 'b', '0'], { c: 1 }],
		[['a', 'b', '2', 'c'], undefined],
		[['a', 'b', '-1'], undefined],
		[['a', 'b', '01'], undefined],
		[['a', 'b', 'length'], undefined],
		[['__proto__', 'polluted'], 'yes'],
		[['a', '__proto__'], undefined],
		[['a', 'constructor'], undefined],
		[['toString'], undefined],
		[['n', 'toFixed'], undefined],
		[['s', 'length'], undefined],
		[['s', '0'], undefined],
		[['missing', 'deeper'], undefined],
	])('%j reads only own fields and array indexes: %j', (path, expected) => {
		expect(readDotPath(body, path)).toEqual(expected);
	});

	it('never modifies Object.prototype and never throws on any JSON', () => {
		fc.assert(
			fc.property(
				fc.jsonValue(),
				fc.array(fc.constantFrom('a', '0', '__proto__', 'constructor', 'prototype', 'length', 'x'), { maxLength: 6 }),
				(value, path) => {
					readDotPath(value, path);
					expect(({} as Record<string, unknown>).polluted).toBeUndefined();
				},
			),
		);
	});
});
