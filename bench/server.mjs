#!/usr/bin/env node
// Measures a credential fetch from `exec --server` by the AWS SDK for JavaScript (its container
// provider, in-process: the median of many fetches) against one cached `credential-process` run,
// the same session behind both, on a local moto_server; prints Markdown (docs/performance.md holds
// a copy). Needs: a built aws-mfa (npm run build), moto_server in python3.
//   node bench/server.mjs [--rounds 5] [--fetches 200] [--runs 10]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, run, sandboxEnvironment, startMoto, timed, writeProfiles } from './harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'bin', 'aws-mfa');
/** From the repository, where the fetcher's `@aws-sdk/credential-providers` resolves; stdout kept, which the fetcher writes. */
const inRepo = { cwd: repoRoot, stdout: 'pipe' };
const option = (name, fallback) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const rounds = option('rounds', 5);
const fetchesPerRound = option('fetches', 200);
const runsPerRound = option('runs', 10);

// Run by the child of `exec --server`: times each fetch of the SDK's own container provider, which
// fetches anew on every call (the memoizing is the default chain's, around it).
const FETCHER = `
import { fromContainerMetadata } from '@aws-sdk/credential-providers';
const provider = fromContainerMetadata();
const count = Number(process.argv[1]);
for (let i = 0; i < 20; i++) await provider();
const samples = [];
for (let i = 0; i < count; i++) {
  const start = process.hrtime.bigint();
  await provider();
  samples.push(Number(process.hrtime.bigint() - start) / 1e6);
}
process.stdout.write(JSON.stringify(samples));
`;

const home = mkdtempSync(path.join(os.tmpdir(), 'aws-mfa-bench-server-'));
const moto = await startMoto(home);
try {
  const env = sandboxEnvironment(home, moto.port);
  writeProfiles(home);
  run(cli, ['login', '-p', 'prod', '--code', '123456'], env, inRepo);
  console.log(report(measure(env)));
} finally {
  moto.stop();
  rmSync(home, { recursive: true, force: true });
}

/** Rounds alternate the two, so that machine noise hits both alike. */
function measure(env) {
  const fetches = [];
  const runs = [];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runsPerRound; i++) runs.push(timed(cli, ['credential-process', '-p', 'prod'], env, inRepo));
    const child = run(
      cli,
      ['exec', '--server', '-p', 'prod', '--', process.execPath, '--input-type=module', '-e', FETCHER, String(fetchesPerRound)],
      env,
      inRepo,
    );
    fetches.push(...JSON.parse(child.stdout));
  }
  return { fetch: median(fetches), credentialProcess: median(runs), fetchCount: fetches.length, runCount: runs.length };
}

function report({ fetch, credentialProcess, fetchCount, runCount }) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, Node ${process.version}; ${rounds} alternating rounds, medians.`,
    '',
    '| measure | median | ratio | target |',
    '| --- | --- | --- | --- |',
    `| \`aws-mfa credential-process\`, cached (${runCount} runs) | ${credentialProcess.toFixed(1)} ms | 1.00 | |`,
    `| a fetch from \`exec --server\` by \`fromContainerMetadata\` (${fetchCount} fetches) | ${fetch.toFixed(2)} ms | ${(fetch / credentialProcess).toFixed(3)} | ≤ 0.05 |`,
  ].join('\n');
}
