/** Unit specs next to the code; e2e and browser tests under test/ on a real database per worker. */
// Type-checking is `npm run typecheck`; tests only transpile (fast).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
};

module.exports = {
  maxWorkers: 2,
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/client/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/env.ts'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      setupFiles: ['<rootDir>/test/support/env.ts'],
      // The pages load the scripts compiled from client/ (public/js is not committed).
      globalSetup: '<rootDir>/client/build/build-client.ts',
    },
    // Three app processes on a three-node Galera cluster (scripts/cluster.sh): only when asked.
    ...(process.env.CLUSTER_TEST === '1'
      ? [
          {
            ...common,
            displayName: 'cluster',
            testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
            setupFiles: ['<rootDir>/test/support/env.ts'],
          },
        ]
      : []),
  ],
};
