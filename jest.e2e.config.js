/** End-to-end suite: real n8n servers (installed and cached by scripts/install-n8n.sh). */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	setupFiles: ['<rootDir>/test/support/env.ts'],
	testTimeout: 120000,
	maxWorkers: 1,
};
