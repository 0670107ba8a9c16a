import fc from 'fast-check';
import { renderTemplate, TemplateError } from '../../../lib/template';

const data = { a: 'text', n: 3, yes: true, nothing: null, list: [1, 2, 3], obj: { x: 'y', inner: [{ z: 1 }] } };

/** Fragments that make template-like text, so the parser is exercised, not just plain text. */
const fragment = fc.constantFrom(
	'${', '@{', '@{*', '*}', '}', '{', ' ', '\n', 'a', 'n', 'list', 'obj.x', 'obj.inner', 'nothing', 'yes',
	'if ', 'else ', 'end if', 'for ', ' in ', 'end for', 'set ', ' = ', '=', '!=', '<', '>',
	'and ', 'or ', 'not ', '(', ')', '[', ']', ',', '|', '&', '+', '-', '*', '/', '.', '"', "'", '\\',
	'1', '0', '2.5', 'null', 'true', 'ToUpper(', 'Count(', 'Substring(', 'ReplaceIfEmpty(', 'x', '$', '@',
);
const templateText = fc.oneof(fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('')), fc.string({ maxLength: 60 }));
const limits = { maxIterations: 2000, maxOutputLength: 20_000, maxDepth: 32 };

describe('template engine: properties', () => {
	it('any input text either renders or throws a TemplateError, never anything else', () => {
		fc.assert(
			fc.property(templateText, fc.boolean(), (template, json) => {
				try {
					const output = renderTemplate(template, data, { json, limits });
					expect(typeof output).toBe('string');
				} catch (error) {
					if (!(error instanceof TemplateError)) throw error;
					expect(error.line).toBeGreaterThanOrEqual(1);
					expect(error.column).toBeGreaterThanOrEqual(1);
				}
			}),
			{ numRuns: 3000 },
		);
	});

	it('degenerate templates (text that doubles, grows through functions, nested loops) over any data end in text or a TemplateError, in bounded time and memory', () => {
		const statement = fc.constantFrom(
			'@{ set a = a & a }', '@{ set a = a & b }', '@{ set a = ToHexadecimal(a) }', '@{ set a = ToBase64(a & a) }', '@{ set a = MD5(a) & a }',
			'${ Substring(a, 2, 5) }', '${ Truncate(a, 7) }', '${ Capitalize(a) }', '${ Length(a) }', '${ SHA256(a) }', '${ a }',
			'@{ if a = b }x@{ end if }', '@{ set n = n * 10.5 }', '@{ set n = n / 3 }', '@{ set n = n + 0.1 }', '${ n }', '${ ReplaceIfEmpty(b, a) }',
		);
		const block: fc.Memo<string> = fc.memo((depth) =>
			depth <= 1
				? statement
				: fc.oneof(statement, fc.array(block(depth - 1), { maxLength: 4 }).map((body) => `@{ for i in list }${body.join('')}@{ end for }`)),
		);
		const template = fc.array(block(4), { minLength: 1, maxLength: 6 }).map((parts) => `@{ set a = seed }@{ set n = 1.5 }${parts.join('')}`);
		const values = fc.record({
			seed: fc.string({ unit: 'binary', maxLength: 40 }),
			b: fc.string({ maxLength: 2000 }),
			list: fc.array(fc.integer(), { maxLength: 60 }),
		});
		const bounded = { maxIterations: 5000, maxOutputLength: 20_000, maxTextWork: 400_000, maxDepth: 32 };
		const heapBefore = process.memoryUsage().heapUsed;
		fc.assert(
			fc.property(template, values, fc.boolean(), (source, item, json) => {
				const started = performance.now();
				try {
					expect(typeof renderTemplate(source, item, { json, limits: bounded })).toBe('string');
				} catch (error) {
					if (!(error instanceof TemplateError)) throw error;
				}
				// Generous: a render within these limits takes milliseconds; an unbounded one runs for seconds.
				expect(performance.now() - started).toBeLessThan(2000);
			}),
			{ numRuns: 200 },
		);
		expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
	});

	it('rendering is deterministic', () => {
		fc.assert(
			fc.property(templateText, (template) => {
				const once = (() => {
					try {
						return renderTemplate(template, data, { limits });
					} catch (error) {
						return `error: ${(error as Error).message}`;
					}
				})();
				const twice = (() => {
					try {
						return renderTemplate(template, data, { limits });
					} catch (error) {
						return `error: ${(error as Error).message}`;
					}
				})();
				expect(twice).toBe(once);
			}),
			{ numRuns: 1000 },
		);
	});

	it('in JSON mode, any data values make valid JSON for a template that quotes its text outputs', () => {
		const template = '{"text": "${ text }", "number": ${ number }, "flag": ${ flag }, "items": [@{ set sep = "" }@{ for s in items }${ sep }"${ s }"@{ set sep = "," }@{ end for }]}';
		fc.assert(
			fc.property(
				fc.record({
					text: fc.string({ unit: 'binary' }),
					number: fc.double({ noNaN: true, noDefaultInfinity: true }),
					flag: fc.boolean(),
					items: fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 5 }),
				}),
				(values) => {
					const parsed = JSON.parse(renderTemplate(template, values, { json: true }));
					expect(parsed.text).toBe(values.text);
					expect(Object.is(parsed.number, values.number) || parsed.number === values.number || (parsed.number === 0 && values.number === 0)).toBe(true);
					expect(parsed.flag).toBe(values.flag);
					expect(parsed.items).toEqual(values.items);
				},
			),
			{ numRuns: 1000 },
		);
	});
});
