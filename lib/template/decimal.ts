/**
 * Template arithmetic is decimal: 0.1 + 0.2 is 0.3, not 0.30000000000000004. (Quokka computes
 * in doubles and hides their error where it shows: output rounded to 2 decimals, comparisons
 * with a tolerance, below; exact decimals agree with it there and also print exactly at full
 * precision in JSON mode.) Values stay JavaScript numbers; an operation reads each operand as the
 * decimal it prints as (its shortest round-trip text), computes on the scaled integers
 * (coefficient × 10^-scale) exactly, and takes the number nearest to the exact result.
 *
 * Speed: whole numbers take the plain path (exact already). Otherwise, while the scaled
 * integers stay below 2^53 the work is done in doubles, where one final division by a power
 * of ten is correctly rounded; beyond that, on BigInts.
 */

/** `coefficient × 10^-scale`; the scale is negative for numbers written with a large exponent. */
interface Decimal {
	coefficient: bigint;
	scale: number;
}

/** Significant digits a BigInt quotient keeps (.NET keeps 28–29; a double holds 17 of them). */
const QUOTIENT_DIGITS = 30;
/** Powers of ten up to here are exact doubles. */
const MAX_EXACT_POWER = 22;
/** Below this, rounding `value × 10^scale` recovers the coefficient exactly. */
const EXACT_COEFFICIENT = 2 ** 51;

const isWhole = (n: number) => Number.isSafeInteger(n);

/** Decimal places of a number as it prints; undefined when it prints with an exponent. */
function placesOf(value: number): number | undefined {
	if (isWhole(value)) return 0;
	const printed = String(value);
	if (printed.includes('e')) return undefined;
	const point = printed.indexOf('.');
	return point === -1 ? 0 : printed.length - point - 1;
}

/** The coefficient at `places` decimal places as a double, when that is exact. */
function coefficientAt(value: number, places: number): number | undefined {
	const coefficient = Math.round(value * 10 ** places);
	return Math.abs(coefficient) < EXACT_COEFFICIENT ? coefficient : undefined;
}

function toDecimal(value: number): Decimal {
	// String() gives the shortest text that reads back as the same number, e.g. "0.1", "1e-7".
	const [mantissa, exponent = '0'] = String(value).split('e');
	const point = mantissa.indexOf('.');
	const digits = point === -1 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
	const fraction = point === -1 ? 0 : mantissa.length - point - 1;
	return { coefficient: BigInt(digits), scale: fraction - Number(exponent) };
}

const toNumber = ({ coefficient, scale }: Decimal): number => Number(`${coefficient}e${-scale}`);
const pow10 = (n: number): bigint => 10n ** BigInt(n);
const digitsOf = (n: bigint) => (n < 0n ? -n : n).toString().length;

/** Infinities have no decimal to read; they take the plain path. */
const finite = (a: number, b: number) => Number.isFinite(a) && Number.isFinite(b);

export function decimalAdd(a: number, b: number): number {
	const sum = a + b;
	if ((isWhole(a) && isWhole(b) && isWhole(sum)) || !finite(a, b)) return sum;
	const places = Math.max(placesOf(a) ?? Infinity, placesOf(b) ?? Infinity);
	if (places <= MAX_EXACT_POWER) {
		const x = coefficientAt(a, places);
		const y = coefficientAt(b, places);
		if (x !== undefined && y !== undefined) return (x + y) / 10 ** places;
	}
	const p = toDecimal(a);
	const q = toDecimal(b);
	const scale = Math.max(p.scale, q.scale);
	return toNumber({ coefficient: p.coefficient * pow10(scale - p.scale) + q.coefficient * pow10(scale - q.scale), scale });
}

export function decimalSubtract(a: number, b: number): number {
	return decimalAdd(a, -b);
}

export function decimalMultiply(a: number, b: number): number {
	const product = a * b;
	if ((isWhole(a) && isWhole(b) && isWhole(product)) || !finite(a, b)) return product;
	const placesA = placesOf(a);
	const placesB = placesOf(b);
	if (placesA !== undefined && placesB !== undefined && placesA + placesB <= MAX_EXACT_POWER) {
		const x = coefficientAt(a, placesA);
		const y = coefficientAt(b, placesB);
		if (x !== undefined && y !== undefined && isWhole(x * y)) return (x * y) / 10 ** (placesA + placesB);
	}
	const p = toDecimal(a);
	const q = toDecimal(b);
	return toNumber({ coefficient: p.coefficient * q.coefficient, scale: p.scale + q.scale });
}

/** `b` is not 0 (the caller reports division by zero). */
export function decimalDivide(a: number, b: number): number {
	// Two exact integers divide correctly rounded in doubles.
	if ((isWhole(a) && isWhole(b)) || !finite(a, b)) return a / b;
	const placesA = placesOf(a);
	const placesB = placesOf(b);
	if (placesA !== undefined && placesB !== undefined && placesA + placesB <= MAX_EXACT_POWER) {
		// a / b = (coefficient of a × 10^placesB) / (coefficient of b × 10^placesA)
		const x = coefficientAt(a, placesA);
		const y = coefficientAt(b, placesB);
		if (x !== undefined && y !== undefined && isWhole(x * 10 ** placesB) && isWhole(y * 10 ** placesA)) return (x * 10 ** placesB) / (y * 10 ** placesA);
	}
	const p = toDecimal(a);
	const q = toDecimal(b);
	// Widen the dividend so the quotient keeps QUOTIENT_DIGITS significant digits.
	const widen = Math.max(0, QUOTIENT_DIGITS + digitsOf(q.coefficient) - digitsOf(p.coefficient));
	return toNumber({ coefficient: (p.coefficient * pow10(widen)) / q.coefficient, scale: p.scale - q.scale + widen });
}

/** Numbers closer than this are equal, as in Quokka (an absolute difference, at any magnitude). */
const NUMBER_TOLERANCE = 1e-7;

/**
 * Orders two numbers as Quokka's comparisons do: within the tolerance they are equal, so
 * `(3 / 7) = (9000000 / 21000001)` holds while `0.1 + 0.2 = 0.3` is exact already. Quokka tests
 * each operator against the tolerance on its own, which leaves a difference of exactly 1e-7
 * neither equal nor unequal; one order for all six operators keeps `!=` the negation of `=`
 * and exactly one of `<`, `=`, `>` true. Negative when `a` comes first, 0 when equal; NaN
 * (from Infinity - Infinity) is unordered and unequal to everything.
 */
export function compareNumbers(a: number, b: number): number {
	// Equal infinities have no finite difference.
	if (a === b) return 0;
	const difference = a - b;
	return Math.abs(difference) < NUMBER_TOLERANCE ? 0 : difference;
}
