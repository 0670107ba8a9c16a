import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CACHE_SOURCE_CHARS, compileTemplate, templateCacheSize } from '../../../lib/template';

// The heap is measured after a full collection: expose V8's gc() to this test file.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const heapAfterGc = () => {
	gc();
	gc();
	return process.memoryUsage().heapUsed;
};

/** A distinct template of about `chars` characters: text, a loop and outputs, like a body built per item. */
const largeTemplate = (n: number, chars: number) => `{"n": ${n}, "rows": [@{ for r in rows }"\${ r.name }",@{ end for }"${'x'.repeat(chars)}"]}`;

describe('compileTemplate cache', () => {
	it('returns the same compiled template for the same source', () => {
		expect(compileTemplate('cache ${ a }')).toBe(compileTemplate('cache ${ a }'));
	});

	it('keeps a template in use while hundreds of others come and go', () => {
		const kept = compileTemplate('kept ${ a }');
		for (let i = 0; i < 2000; i++) {
			compileTemplate(`other ${i} \${ a }`);
			// In use all along: never compiled again.
			expect(compileTemplate('kept ${ a }')).toBe(kept);
		}
	});

	it('drops a template no longer used, so the cache stays bounded', () => {
		const first = compileTemplate('dropped ${ a }');
		for (let i = 0; i < 256; i++) compileTemplate(`filler ${i} \${ a }`);
		expect(compileTemplate('dropped ${ a }')).not.toBe(first);
	});
});

describe('compiled-template cache: bounded by size, not only by count', () => {
	it('300 distinct 400 kB templates, once the work is done, leave less than 20 MB on the heap (main kept the last 128 or more: about 70 MB)', () => {
		const before = heapAfterGc();
		for (let n = 0; n < 300; n++) compileTemplate(largeTemplate(n, 400_000)).render({ rows: [{ name: 'a' }] });
		const held = heapAfterGc() - before;
		expect(templateCacheSize().sourceChars).toBeLessThanOrEqual(CACHE_SOURCE_CHARS);
		expect(held).toBeLessThan(20 * 1024 * 1024);
	});

	it('the cache counts the source it holds, and never more than its budget however templates come', () => {
		for (let n = 0; n < 50; n++) {
			compileTemplate(largeTemplate(1000 + n, 90_000 + 7_000 * (n % 5)));
			compileTemplate(`small ${n} \${ a }`);
			const { entries, sourceChars } = templateCacheSize();
			expect(entries).toBeLessThanOrEqual(256);
			expect(sourceChars).toBeLessThanOrEqual(CACHE_SOURCE_CHARS);
		}
	});

	it('a template larger than half the budget is compiled for its use and not kept; a small one still is', () => {
		const huge = largeTemplate(-1, CACHE_SOURCE_CHARS / 2 + 1);
		expect(compileTemplate(huge)).not.toBe(compileTemplate(huge));
		expect(compileTemplate('kept ${ a }')).toBe(compileTemplate('kept ${ a }'));
	});
});
