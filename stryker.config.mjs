// Mutation testing: `npm run test:mutation` (all of lib/ and nodes/), or narrow it with
// `npm run test:mutation -- --mutate 'lib/verify/**/*.ts'`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'jest',
	jest: {
		configFile: 'jest.config.js',
		// --findRelatedTests follows imports only through files inside jest's roots. The suite's
		// roots are test/ alone, so a test that reaches lib/verify through nodes/ or lib/trigger
		// was never found and its mutants were reported "no coverage": every source folder a
		// test can import through must be a root.
		config: { roots: ['<rootDir>/test', '<rootDir>/lib', '<rootDir>/nodes', '<rootDir>/credentials', '<rootDir>/tools'] },
		enableFindRelatedTests: true,
	},
	coverageAnalysis: 'perTest',
	mutate: ['lib/**/*.ts', 'nodes/**/*.ts'],
	ignorePatterns: ['dist', 'coverage', 'reports', 'docs'],
	reporters: ['clear-text', 'progress', 'json', 'html'],
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
	htmlReporter: { fileName: 'reports/mutation/mutation.html' },
	concurrency: 2,
	timeoutMS: 20000,
	tempDirName: '.stryker-tmp',
};
