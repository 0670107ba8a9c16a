// Mutation testing: `npm run test:mutation` (all of lib/ and nodes/), or narrow it with
// `npm run test:mutation -- --mutate 'lib/verify/**/*.ts'`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'jest',
	jest: { configFile: 'jest.config.js', enableFindRelatedTests: true },
	coverageAnalysis: 'perTest',
	mutate: ['lib/**/*.ts', 'nodes/**/*.ts'],
	ignorePatterns: ['dist', 'coverage', 'reports', 'docs', 'examples'],
	reporters: ['clear-text', 'progress', 'json', 'html'],
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
	htmlReporter: { fileName: 'reports/mutation/mutation.html' },
	concurrency: 2,
	timeoutMS: 20000,
	tempDirName: '.stryker-tmp',
};
