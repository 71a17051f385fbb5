import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/**
 * Vitest globalSetup, once per run: bundle the CLI into dist/ as `npm run build` does, so e2e
 * tests run the current code, and compile src/ module by module into .build/modules for the tests
 * that load one module in a child process (which also type-checks the sources).
 */
export default function buildOnce(): void {
  run(join(repoRoot, 'node_modules', '.bin', 'rollup'), ['-c', '--silent']);
  run(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.modules.json']);
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`the build failed (${[command, ...args].join(' ')}):\n${result.stdout}${result.stderr}${result.error ?? ''}`);
  }
}
