#!/usr/bin/env node
// Measures aws-mfa against its peers on a local moto_server, alternating the commands so that
// machine noise hits all of them alike, and prints medians and ratios from the same run as
// Markdown (docs/performance.md holds a copy). Needs: a built aws-mfa (npm run build), moto_server,
// python3 with boto3, the AWS CLI (`aws`), GNU time (/usr/bin/time) for peak RSS.
//   node bench/run.mjs [--runs 30]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, sandboxEnvironment, serial, startMoto, writeProfiles } from './moto-sandbox.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'bin', 'aws-mfa');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 30;

const home = mkdtempSync(path.join(os.tmpdir(), 'aws-mfa-bench-'));
const moto = await startMoto(home);
try {
  const env = sandboxEnvironment(home, moto.port);
  writeProfiles(home);
  console.log(report(await measure(env, moto.port)));
} finally {
  moto.stop();
  rmSync(home, { recursive: true, force: true });
}

async function measure(env, motoPort) {
  run(cli, ['login', '-p', 'prod', '--code', '123456'], env);
  const startup = alternate(
    {
      'node -e 0': () => timed('node', ['-e', '0'], env),
      'aws-mfa credential-process (cached)': () => timed(cli, ['credential-process', '-p', 'prod'], env),
      "python3 -c 'import boto3'": () => timed('python3', ['-c', 'import boto3'], env),
    },
    runs,
  );
  const login = alternate(
    {
      'aws-mfa login (new session)': () => timed(cli, ['login', '-p', 'prod', '--force', '--code', '123456'], env),
      'aws sts get-session-token': () =>
        timed('aws', ['sts', 'get-session-token', '--profile', 'prod-long-term', '--serial-number', serial, '--token-code', '123456'], env),
    },
    Math.max(5, Math.round(runs / 3)),
  );
  const parallel = await parallelColdCallers(env, motoPort, 24);
  const rssKb = peakRssKb(cli, ['credential-process', '-p', 'prod'], env);
  const nodeRssKb = peakRssKb('node', ['-e', '0'], env);
  return { startup, login, parallel, rssKb, nodeRssKb };
}

function alternate(commands, count) {
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (const command of Object.values(commands)) command(); // warm the file cache
  for (let round = 0; round < count; round++) {
    for (const [name, command] of Object.entries(commands)) samples[name].push(command());
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

function timed(command, args, env) {
  const start = process.hrtime.bigint();
  run(command, args, env);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function run(command, args, env) {
  const result = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
}

async function parallelColdCallers(env, motoPort, count) {
  run(cli, ['clear'], env);
  await fetch(`http://127.0.0.1:${motoPort}/moto-api/recorder/clear-recording`, { method: 'POST' });
  await fetch(`http://127.0.0.1:${motoPort}/moto-api/recorder/start-recording`, { method: 'POST' });
  const start = process.hrtime.bigint();
  const exits = await Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(cli, ['credential-process', '-p', 'prod', '--code', '123456'], { env, stdio: 'ignore' });
      return new Promise((resolve) => child.on('exit', resolve));
    }),
  );
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const recording = await (await fetch(`http://127.0.0.1:${motoPort}/moto-api/recorder/download-recording`)).text();
  const stsCalls = recording
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((record) =>
      Buffer.from(record.body ?? '', record.body_encoded ? 'base64' : 'utf8')
        .toString()
        .includes('Action=GetSessionToken'),
    ).length;
  return { count, wallMs, stsCalls, failed: exits.filter((code) => code !== 0).length };
}

function peakRssKb(command, args, env) {
  const samples = [];
  for (let round = 0; round < 5; round++) {
    const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    samples.push(Number(result.stderr.trim().split('\n').at(-1)));
  }
  return Math.max(...samples);
}

function report({ startup, login, parallel, rssKb, nodeRssKb }) {
  const cached = startup['aws-mfa credential-process (cached)'];
  const node = startup['node -e 0'];
  const boto3 = startup["python3 -c 'import boto3'"];
  const mfaLogin = login['aws-mfa login (new session)'];
  const cliLogin = login['aws sts get-session-token'];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; ${runs} alternating runs, medians.`,
    '',
    '| measure | median | ratio | target |',
    '| --- | --- | --- | --- |',
    `| \`node -e 0\` | ${ms(node)} | 1.00 | |`,
    `| \`aws-mfa credential-process\`, cached | ${ms(cached)} | ${ratio(cached, node)} × node | ≤ 1.3 × node |`,
    `| \`python3 -c 'import boto3'\` | ${ms(boto3)} | ${ratio(cached, boto3)} (cached ÷ boto3) | ≤ 0.5 |`,
    `| \`aws-mfa login\`, new session | ${ms(mfaLogin)} | ${ratio(mfaLogin, cliLogin)} × AWS CLI | ≤ 0.6 × AWS CLI |`,
    `| \`aws sts get-session-token\` (AWS CLI) | ${ms(cliLogin)} | 1.00 | |`,
    `| ${parallel.count} parallel cold \`credential-process\` | ${ms(parallel.wallMs)} wall | ${parallel.stsCalls} STS call(s), ${parallel.failed} failed | 1 call |`,
    `| peak RSS, cached \`credential-process\` | ${(rssKb / 1024).toFixed(1)} MB | node -e 0: ${(nodeRssKb / 1024).toFixed(1)} MB | ≤ 64 MB |`,
  ];
  return lines.join('\n');
}

function ms(value) {
  return `${value.toFixed(1)} ms`;
}

function ratio(value, base) {
  return (value / base).toFixed(2);
}
