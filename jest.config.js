/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	globalSetup: '<rootDir>/test/globalSetup.ts',
	globalTeardown: '<rootDir>/test/globalTeardown.ts',
	setupFiles: ['<rootDir>/test/setupEnv.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/harness/n8nCoreShutdown.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.tools.json' }] },
	// Exporting the 3000-session demo dataset through n8n took over 5 s (jest's default) on a busy 2-core machine:
	// `npm test` should pass first time on a newcomer's machine, so hangs fail a test, slowness does not.
	testTimeout: 60_000,
};
