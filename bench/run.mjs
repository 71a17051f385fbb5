#!/usr/bin/env node
// Measures aws-mfa against its peers on a local moto_server, on each Node side by side (the one
// running this and the pinned Node 24 of .ci/install-node, unless --node names them), each against
// its own `node -e 0`. The commands of a group alternate, across the Nodes too, so that machine
// noise hits all of them alike; it prints medians and ratios from the same run as Markdown
// (docs/performance.md holds a copy), then what bench/scale.mjs and bench/server.mjs print, if
// present. Needs: a built aws-mfa (npm run build), moto_server, python3 with boto3, the AWS CLI
// (`aws`), GNU time (/usr/bin/time) for peak RSS.
//   node bench/run.mjs [--runs 30] [--node /path/to/node …]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, chooseNodes, run, sandboxEnvironment, serial, startMoto, timed, writeProfiles } from './harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'bin', 'aws-mfa');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 30;
const nodes = chooseNodes(repoRoot);

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
for (const other of ['scale.mjs', 'server.mjs']) {
  const script = path.join(repoRoot, 'bench', other);
  if (existsSync(script)) spawnSync(process.execPath, [script, '--runs', String(runs)], { stdio: 'inherit' });
}

/** For each Node: medians of the start-up group and of the login group, the parallel callers, peak RSS. */
async function measure(env, motoPort) {
  run(nodes[0].path, [cli, 'login', '-p', 'prod', '--code', '123456'], env);
  const startupCommands = { "python3 -c 'import boto3'": () => timed('python3', ['-c', 'import boto3'], env) };
  const loginCommands = {
    'aws sts get-session-token': () =>
      timed('aws', ['sts', 'get-session-token', '--profile', 'prod-long-term', '--serial-number', serial, '--token-code', '123456'], env),
  };
  for (const node of nodes) {
    startupCommands[`${node.label} node -e 0`] = () => timed(node.path, ['-e', '0'], env);
    startupCommands[`${node.label} credential-process`] = () => timed(node.path, [cli, 'credential-process', '-p', 'prod'], env);
    startupCommands[`${node.label} env`] = () => timed(node.path, [cli, 'env', '-p', 'prod'], env);
    startupCommands[`${node.label} --version`] = () => timed(node.path, [cli, '--version'], env);
    loginCommands[`${node.label} login`] = () => timed(node.path, [cli, 'login', '-p', 'prod', '--force', '--code', '123456'], env);
  }
  const startup = alternate(startupCommands, runs);
  const login = alternate(loginCommands, Math.max(5, Math.round(runs / 3)));
  const perNode = [];
  for (const node of nodes) {
    perNode.push({
      label: node.label,
      parallel: await parallelColdCallers(node, env, motoPort, 24),
      rssKb: peakRssKb(node.path, [cli, 'credential-process', '-p', 'prod'], env),
      nodeRssKb: peakRssKb(node.path, ['-e', '0'], env),
    });
  }
  return { startup, login, perNode };
}

async function parallelColdCallers(node, env, motoPort, count) {
  run(node.path, [cli, 'clear'], env);
  await fetch(`http://127.0.0.1:${motoPort}/moto-api/recorder/reset-recording`, { method: 'POST' });
  await fetch(`http://127.0.0.1:${motoPort}/moto-api/recorder/start-recording`, { method: 'POST' });
  const start = process.hrtime.bigint();
  const exits = await Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(node.path, [cli, 'credential-process', '-p', 'prod', '--code', '123456'], { env, stdio: 'ignore' });
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
  // Leaves a cached session, as the next Node's measures expect.
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

function report({ startup, login, perNode }) {
  const boto3 = startup["python3 -c 'import boto3'"];
  const cliLogin = login['aws sts get-session-token'];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const column = (cell) => `| ${perNode.map((node) => cell(node.label, node)).join(' | ')} |`;
  const startupRow = (name, command) =>
    `| ${name} ${column((label) => `${ms(startup[`${label} ${command}`])}, ${ratio(startup[`${label} ${command}`], startup[`${label} node -e 0`])} ×`)}`;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, load average ${os.loadavg()[0].toFixed(1)}; ${runs} alternating runs, medians; ratios against the same Node's \`node -e 0\`.`,
    '',
    `| measure | ${perNode.map((node) => node.label).join(' | ')} | target |`,
    `| --- | ${perNode.map(() => '---').join(' | ')} | --- |`,
    `| \`node -e 0\` ${column((label) => `${ms(startup[`${label} node -e 0`])}, 1.00`)} |`,
    `${startupRow('`aws-mfa credential-process`, cached', 'credential-process')} ≤ 1.15 × (Node 24), ≤ 1.10 × (Node 20) |`,
    `${startupRow('`aws-mfa env`, cached', 'env')} |`,
    `${startupRow('`aws-mfa --version`', '--version')} |`,
    `| cached credential-process ÷ \`python3 -c 'import boto3'\` (${ms(boto3)}) ${column((label) => ratio(startup[`${label} credential-process`], boto3))} ≤ 0.5 |`,
    `| \`aws-mfa login\`, new session ÷ \`aws sts get-session-token\` (${ms(cliLogin)}) ${column((label) => `${ms(login[`${label} login`])}, ${ratio(login[`${label} login`], cliLogin)} ×`)} ≤ 0.6 × |`,
    `| 24 parallel cold \`credential-process\` ${column((_label, node) => `${ms(node.parallel.wallMs)} wall, ${node.parallel.stsCalls} STS call(s), ${node.parallel.failed} failed`)} 1 call |`,
    `| peak RSS, cached \`credential-process\` ${column((_label, node) => `${mb(node.rssKb)}, node -e 0 + ${mb(node.rssKb - node.nodeRssKb)}`)} ≤ node -e 0 + 6 MiB |`,
  ];
  return lines.join('\n');
}

function mb(kb) {
  return `${(kb / 1024).toFixed(1)} MiB`;
}

function ms(value) {
  return `${value.toFixed(1)} ms`;
}

function ratio(value, base) {
  return (value / base).toFixed(2);
}
