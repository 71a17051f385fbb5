import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder, found from this file's place in test/e2e/harness/. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The CLI as a user runs it: the shebang script that loads the built dist/. */
export const cliPath = join(repoRoot, 'bin', 'aws-mfa');
