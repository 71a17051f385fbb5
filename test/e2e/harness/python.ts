import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The Python interpreter that has moto and the AWS CLI v1 (pyenv's, not Debian's: Debian's
 * awscli and boto3 ignore AWS_ENDPOINT_URL). Found once per worker.
 */
export function pythonPath(): string {
  cached ??= findPython();
  return cached;
}

/** The folder holding that Python's scripts (`aws`, `moto_server`): put first on PATH. */
export function pythonBinDir(): string {
  return dirname(pythonPath());
}

function findPython(): string {
  const pyenvRoot = process.env.PYENV_ROOT ?? join(homedir(), '.pyenv');
  const candidates = ['python3', join(pyenvRoot, 'shims', 'python3')];
  for (const candidate of candidates) {
    const executable = executableWithPeers(candidate);
    if (executable !== undefined) return executable;
  }
  throw new Error(`no Python with moto, awscli and boto3 found (tried ${candidates.join(', ')})`);
}

function executableWithPeers(candidate: string): string | undefined {
  try {
    const script = 'import sys, moto, awscli, boto3; print(sys.executable)';
    return execFileSync(candidate, ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
