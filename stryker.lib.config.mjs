// Mutation testing of the security-critical library code alone, on a 2-core machine:
// `npm run test:mutation:lib` (narrow it further with `-- --mutate lib/redact.ts`).
// The full configuration (stryker.config.mjs) mutates lib/ and nodes/ against the whole suite,
// engine tests included: hours, most of them spent in tests that cannot reach these files.
import base from './stryker.config.mjs';

/**
 * The unit tests that exercise lib/verify, lib/trigger, lib/dispatch and lib/redact.ts: their
 * mirrors in test/lib, and the source tests, which reach the HMAC verifier and receiveDelivery
 * through every platform's definition.
 */
const LIB_TESTS = [
	'test/lib/verify/**/*.test.ts',
	'test/lib/trigger/**/*.test.ts',
	'test/lib/sources/**/*.test.ts',
	'test/lib/dispatch/**/*.test.ts',
	'test/lib/redact.test.ts',
	'test/lib/numericFields.test.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	...base,
	mutate: ['lib/verify/**/*.ts', 'lib/trigger/**/*.ts', 'lib/dispatch/**/*.ts', 'lib/redact.ts'],
	jest: {
		...base.jest,
		config: {
			...base.jest.config,
			// Only these files: the engine tests (test/nodes), the end-to-end and template suites,
			// the Redis, source and proxy tests stay out, and so does the million-character secret
			// (test/lib/redact.test.ts skips it in Stryker's workers: seconds per run, the code
			// paths of the smaller sizes).
			testMatch: LIB_TESTS.map((glob) => `<rootDir>/${glob}`),
			// Transpile only: the types are checked by `npm run typecheck`, and Stryker's instrumented
			// sources carry @ts-nocheck anyway; type-checking each test file again in every worker is
			// minutes of this run's budget.
			transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }] },
		},
		// perTest coverage already runs only the tests that reach a mutant (by name); finding the
		// related files first costs seconds per mutant and finds nearly all of them anyway.
		enableFindRelatedTests: false,
	},
	// A static mutant (a module-level constant: a regular expression, a table) can only be judged
	// by the whole lib suite, once per mutant: about 140 of them, over half of the run's time. They
	// are left to the full configuration (`npm run test:mutation`) and reported as ignored here.
	ignoreStatic: true,
	// These unit tests take milliseconds: a mutant that loops forever (the linear scans in
	// lib/redact.ts have several) is given up on after 5 s rather than 20.
	timeoutMS: 5000,
	// A mutant that makes a promise reject before a test awaits it would crash the worker (Node's
	// default for an unhandled rejection), and Stryker would start a new one: seconds each, for
	// a mutant that the awaiting test fails anyway.
	testRunnerNodeArgs: ['--unhandled-rejections=warn'],
	// A run re-tests only the mutants whose code or covering tests changed since the report in
	// this file, which is committed: from nothing the run takes about 66 minutes here (2072
	// mutants, December 2026), after a small change a few. `-- --force` tests everything again.
	incremental: true,
	incrementalFile: 'reports/stryker-incremental.json',
	reporters: ['clear-text', 'progress', 'json'],
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
};
