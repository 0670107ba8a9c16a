import fc from 'fast-check';
import { decimalAdd, decimalDivide, decimalMultiply, decimalSubtract } from '../../../lib/template/decimal';

/**
 * Decimals made from scaled integers, `units × 10^-places`: such a number prints as exactly that
 * decimal (small ones in exponent form, e.g. 5e-9), so the exact results have independent
 * references: a sum or a product of the integers read back with its scale, and a quotient of two
 * exact integers, which a double division rounds correctly.
 */
const units = fc.integer({ min: -1e12, max: 1e12 });
const places = fc.constantFrom(0, 2, 6, 9, 12);
const scaled = (n: number, scale: number) => Number(`${n}e-${scale}`);
/** Negative zero prints as 0 in both text and JSON; compare without it. */
const unsigned = (n: number) => n + 0;

describe('decimal arithmetic, as .NET decimal', () => {
	it('add, subtract, multiply and divide give the number nearest to the exact decimal result', () => {
		fc.assert(
			fc.property(units, units, places, (x, y, scale) => {
				const a = scaled(x, scale);
				const b = scaled(y, scale);
				expect(unsigned(decimalAdd(a, b))).toBe(scaled(Number(BigInt(x) + BigInt(y)), scale));
				expect(unsigned(decimalSubtract(a, b))).toBe(scaled(Number(BigInt(x) - BigInt(y)), scale));
				expect(unsigned(decimalMultiply(a, b))).toBe(Number(`${BigInt(x) * BigInt(y)}e-${2 * scale}`));
				if (y !== 0) expect(unsigned(decimalDivide(a, b))).toBe(unsigned(x / y));
			}),
			{ numRuns: 3000 },
		);
	});

	it.each([
		['0.1 + 0.2', decimalAdd(0.1, 0.2), 0.3],
		['1e-7 * 2e-7 (exponent form)', decimalMultiply(1e-7, 2e-7), 2e-14],
		['0.1 / 3e-7 (exponent form)', decimalDivide(0.1, 3e-7), 333333.3333333333],
		['a coefficient past 2^53', decimalMultiply(1234567890.12, 9876543.21), 12193263112448712],
		['-0.1 - 0.2', decimalSubtract(-0.1, 0.2), -0.3],
		['an infinite operand', decimalAdd(Infinity, 0.5), Infinity],
	])('%s', (_name, actual, expected) => {
		expect(actual).toBe(expected);
	});
});
