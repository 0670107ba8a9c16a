import { NUMERIC_FIELDS, readNumericField, type NumericField } from '../../lib/numericFields';
import { RateLimiter } from '../../lib/dispatch/rateLimiter';
import { FakeClock } from '../support/fakeClock';

const fields = Object.entries(NUMERIC_FIELDS) as Array<[string, NumericField]>;

describe('readNumericField: one policy for every numeric field', () => {
	describe.each(fields)('%s', (_key, field) => {
		it('empty is the default; the minimum and the maximum are taken as they are', () => {
			for (const empty of [undefined, null, '', '  ']) expect(readNumericField(field, empty)).toEqual({ value: field.default });
			expect(readNumericField(field, field.max)).toEqual({ value: field.max });
			expect(readNumericField(field, String(field.max))).toEqual({ value: field.max });
			if (!field.positive || field.min > 0) expect(readNumericField(field, field.min)).toEqual({ value: field.min });
		});

		it.each([[Infinity], [1e308], [Number.MAX_SAFE_INTEGER], ['1e400']])('%j, past the maximum, is the maximum, and said so naming the field', (raw) => {
			const { value, notice } = readNumericField(field, raw);
			expect(value).toBe(field.max);
			expect(notice).toBe(`${field.label} ${Number(raw)} is above the maximum ${field.max}: ${field.max} is used`);
		});

		it.each([['ten'], ['0x10'], ['1.2.3'], [NaN], [true], [{}], [[3]]])('%j is no number: refused, naming the field', (raw) => {
			expect(() => readNumericField(field, raw)).toThrow(
				new RegExp(`^${field.label.replace(/[()]/g, '\\$&')} must be a number from ${field.min} to ${field.max}, got `),
			);
		});

		it('below the minimum: a timeout of 0 or less is refused; any other field is clamped, and said so', () => {
			if (field.positive) {
				expect(() => readNumericField(field, 0)).toThrow(`${field.label} must be a number from ${field.min} to ${field.max}, got 0`);
				expect(() => readNumericField(field, -Infinity)).toThrow(/got -Infinity$/);
			} else {
				expect(readNumericField(field, -Infinity)).toEqual({
					value: field.min,
					notice: `${field.label} -Infinity is below the minimum ${field.min}: ${field.min} is used`,
				});
			}
		});
	});

	it('a fraction in a whole-number field is rounded, and said so; decimals elsewhere are kept', () => {
		expect(readNumericField(NUMERIC_FIELDS.concurrency, 2.6)).toEqual({ value: 3, notice: 'Concurrency (concurrency) 2.6 is not a whole number: 3 is used' });
		expect(readNumericField(NUMERIC_FIELDS.rateLimitPerSecond, 0.5)).toEqual({ value: 0.5 });
		expect(readNumericField(NUMERIC_FIELDS.integrationTimeoutSeconds, '2.5')).toEqual({ value: 2.5 });
	});

	it('a refusal quotes at most 40 characters of the text given', () => {
		expect(() => readNumericField(NUMERIC_FIELDS.limit, 'x'.repeat(10_000))).toThrow(`Limit (limit) must be a number from 1 to 1000, got "${'x'.repeat(40)}"`);
	});
});

describe('no structure sized from user input', () => {
	it('a rate limiter for an absurd rate sizes its ring by the maximum rate, and still grants', async () => {
		const clock = new FakeClock();
		const heapBefore = process.memoryUsage().heapUsed;
		const limiter = new RateLimiter(1e15, clock);
		await expect(limiter.acquire()).resolves.toBe(true);
		// main allocated an array of ceil(rate) numbers: a RangeError here, an out-of-memory abort at 1e9.
		expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
	});
});
