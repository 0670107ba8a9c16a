import { ALPHABETS, expectMaskedEverywhere, secretOf } from '../support/secrets';

// Apart from the other sizes (redactHostile.test.ts) as it takes seconds: the lib-level
// mutation run (stryker.lib.config.mjs) leaves it out, the code paths are the same.
describe('Redactor: a secret of a million characters', () => {
	it('mixing regular-expression characters, unicode, CR/LF and base64 is masked in every echoed form', () => {
		expectMaskedEverywhere(secretOf(ALPHABETS.map(([, alphabet]) => alphabet).join(''), 1_000_000));
	});
});
