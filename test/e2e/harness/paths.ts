import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder, found from this file's place in test/e2e/harness/. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The CLI as a user runs it: the shebang script that loads the built dist/. */
export const cliPath = join(repoRoot, 'bin', 'aws-mfa');

/** The folder of the Node that runs the tests: first on every PATH the tests give, so that `node` is this one. */
export const nodeBinDir = dirname(process.execPath);

/**
 * A source module compiled on its own (test/e2e/harness/global-setup.ts compiles src/ into
 * .build/modules), for tests that run one module in a child process; the CLI itself is a bundle.
 */
export function builtModule(...pathInSrc: string[]): string {
  return join(repoRoot, '.build', 'modules', ...pathInSrc);
}

/** Which sources each file of dist/ holds, as the build (rollup.config.mjs) notes them. */
export const bundleSources = join(repoRoot, '.build', 'bundle-sources.json');
