import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** Vitest globalSetup: compile src/ into dist/ once, so e2e tests run the current code. */
export default function buildOnce(): void {
  const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
  const result = spawnSync(tsc, ['-p', 'tsconfig.build.json'], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`the build failed (tsc -p tsconfig.build.json):\n${result.stdout}${result.stderr}${result.error ?? ''}`);
  }
}
