/**
 * End-to-end test: the packed package in a real n8n (see test/e2e/). Slow (a build, an npm install and several n8n
 * CLI runs per n8n major), so it is kept out of `npm test`. E2E_N8N_MAJORS picks the majors ("2,1" by default);
 * E2E_KEEP=1 keeps each n8n user folder with the output of every n8n command in its logs/ folder.
 * @type {import('jest').Config}
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	globalSetup: '<rootDir>/test/globalSetup.ts',
	globalTeardown: '<rootDir>/test/globalTeardown.ts',
	setupFiles: ['<rootDir>/test/setupEnv.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.tools.json' }] },
	testTimeout: 120_000,
	maxWorkers: 1,
};
