import { defineConfig } from 'vitest/config';

// Set by .ci/run: also write the results as JSON there, to count passed and failed tests.
const jsonReport = process.env.TEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    globalSetup: ['test/e2e/harness/global-setup.ts'],
    pool: 'forks',
    // End-to-end tests spawn moto, the CLI and the AWS CLI: bounded, but not 5 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
