#!/usr/bin/env node
// Measures a credential fetch from `exec --server` by the AWS SDK for JavaScript (its container
// provider, in-process: the median of many fetches) against one cached `credential-process` run,
// the same session behind both, on a local moto_server; prints Markdown (docs/performance.md holds
// a copy). Needs: a built aws-mfa (npm run build), moto_server in python3.
//   node bench/server.mjs [--rounds 5] [--fetches 200] [--runs 10]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'bin', 'aws-mfa');
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
const port = await freePort();
const moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
  stdio: 'ignore',
  env: { ...process.env, MOTO_RECORDER_FILEPATH: path.join(home, 'moto-recording') },
});
try {
  await waitForMoto(port);
  const env = benchEnvironment(home, port);
  writeProfiles(home);
  run(cli, ['login', '-p', 'prod', '--code', '123456'], env);
  console.log(report(measure(env)));
} finally {
  moto.kill();
  rmSync(home, { recursive: true, force: true });
}

/** Rounds alternate the two, so that machine noise hits both alike. */
function measure(env) {
  const fetches = [];
  const runs = [];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runsPerRound; i++) runs.push(timed(cli, ['credential-process', '-p', 'prod'], env));
    const child = run(
      cli,
      ['exec', '--server', '-p', 'prod', '--', process.execPath, '--input-type=module', '-e', FETCHER, String(fetchesPerRound)],
      env,
    );
    fetches.push(...JSON.parse(child.stdout));
  }
  return { fetch: median(fetches), credentialProcess: median(runs), fetchCount: fetches.length, runCount: runs.length };
}

function timed(command, args, env) {
  const start = process.hrtime.bigint();
  run(command, args, env);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function run(command, args, env) {
  const result = spawnSync(command, args, { env, cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args[0]} failed (${result.status}): ${result.stderr}`);
  return result;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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

function benchEnvironment(homeFolder, motoPort) {
  const kept = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && name !== 'DBUS_SESSION_BUS_ADDRESS'),
  );
  return {
    ...kept,
    HOME: homeFolder,
    XDG_CACHE_HOME: path.join(homeFolder, '.cache'),
    AWS_ENDPOINT_URL: `http://127.0.0.1:${motoPort}`,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

function writeProfiles(homeFolder) {
  mkdirSync(path.join(homeFolder, '.aws'), { recursive: true });
  writeFileSync(
    path.join(homeFolder, '.aws', 'credentials'),
    '[prod-long-term]\naws_access_key_id = AKIABENCH0000EXAMPLE\naws_secret_access_key = benchbenchbenchbenchbenchbenchbenchbench\n',
    { mode: 0o600 },
  );
  writeFileSync(path.join(homeFolder, '.aws', 'config'), '[profile prod]\nmfa_serial = arn:aws:iam::123456789012:mfa/bench\n');
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return free;
}

async function waitForMoto(motoPort) {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${motoPort}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('moto_server did not start');
}
