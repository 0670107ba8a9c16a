import { compileTemplate } from '../../../lib/template';

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
