#!/usr/bin/env node
// Cost as work grows: a cached `credential-process`, `list`, `doctor` (offline) and
// `__complete profiles` (what the shell completion scripts run) with 1, 100, 1,000 and 10,000
// profiles in both AWS files (and as many cached sessions of other profiles), on each Node (this
// one and the pinned Node 24 of .ci/install-node, unless --node names them), alternating the
// homes and the Nodes so that machine noise hits all of them alike; prints medians as Markdown,
// one table per Node (docs/performance.md holds a copy). Needs a built aws-mfa (npm run build)
// and moto_server.
//   node bench/scale.mjs [--runs 20] [--sizes 1,100,1000,10000] [--node /path/to/node …]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, chooseNodes, run, sandboxEnvironment, startMoto, timed } from './harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'bin', 'aws-mfa');
const runs = Number(option('--runs')) || 20;
const sizes = (option('--sizes') ?? '1,100,1000,10000').split(',').map(Number);
const nodes = chooseNodes(repoRoot);

/** The commands measured in each home; doctor checks `prod`, offline. */
const COMMANDS = {
  cached: ['credential-process', '-p', 'prod'],
  list: ['list'],
  doctor: ['doctor', '-p', 'prod'],
  complete: ['__complete', 'profiles'],
};

const root = mkdtempSync(path.join(os.tmpdir(), 'aws-mfa-scale-'));
let moto;
try {
  moto = await startMoto(root);
  const homes = sizes.map((count) => prepareHome(count, moto.port));
  console.log(report(homes, measure(homes)));
} finally {
  moto?.stop();
  rmSync(root, { recursive: true, force: true });
}

function option(name) {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

/** Both files with `count` profiles, `prod` the last; a session for prod and `count - 1` cached sessions of others. */
function prepareHome(count, motoPort) {
  const home = path.join(root, String(count));
  mkdirSync(path.join(home, '.aws'), { recursive: true });
  const names = Array.from({ length: count - 1 }, (_, index) => `team-${String(index).padStart(5, '0')}-admin`).concat('prod');
  const credentials = names
    .map((name, index) =>
      [
        `[${name}-long-term]`,
        `aws_access_key_id = AKIA${String(index).padStart(9, '0')}EXAMPLE`,
        'aws_secret_access_key = benchbenchbenchbenchbenchbenchbenchbench',
        '',
      ].join('\n'),
    )
    .join('\n');
  const config = names
    .map((name) => [`[profile ${name}]`, `mfa_serial = arn:aws:iam::123456789012:mfa/${name}`, 'region = us-east-1', ''].join('\n'))
    .join('\n');
  writeFileSync(path.join(home, '.aws', 'credentials'), credentials, { mode: 0o600 });
  writeFileSync(path.join(home, '.aws', 'config'), config);
  const env = sandboxEnvironment(home, motoPort);
  run(nodes[0].path, [cli, 'login', '-p', 'prod', '--code', '123456'], env);
  copySessions(path.join(home, '.cache'), names.slice(0, -1));
  const bytes = statSync(path.join(home, '.aws', 'credentials')).size + statSync(path.join(home, '.aws', 'config')).size;
  return { count, env, bytes };
}

/** Writes prod's cached session as the other profiles' sessions, wherever the cache keeps it, as their logins would have. */
function copySessions(cacheHome, others) {
  const sessionFile = findFiles(cacheHome).find((file) => path.basename(file) === 'prod.json');
  if (!sessionFile) throw new Error(`no cached session prod.json under ${cacheHome}`);
  const session = JSON.parse(readFileSync(sessionFile, 'utf8'));
  for (const name of others) {
    session.definition.profile = name;
    writeFileSync(path.join(path.dirname(sessionFile), `${name}.json`), `${JSON.stringify(session)}\n`, { mode: 0o600 });
  }
}

function findFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? findFiles(path.join(folder, entry.name)) : [path.join(folder, entry.name)],
  );
}

function measure(homes) {
  const env = homes[0].env;
  const commands = {};
  for (const node of nodes) commands[`${node.label} node -e 0`] = () => timed(node.path, ['-e', '0'], env);
  for (const home of homes) {
    for (const node of nodes) {
      for (const [name, args] of Object.entries(COMMANDS)) {
        commands[`${node.label} ${name} ${home.count}`] = () => timed(node.path, [cli, ...args], home.env);
      }
    }
  }
  return alternate(commands, runs);
}

function report(homes, medians) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, load average ${os.loadavg()[0].toFixed(1)}; ${runs} alternating runs, medians.`,
  ];
  for (const { label } of nodes) {
    const node = medians[`${label} node -e 0`];
    const one = medians[`${label} cached ${homes[0].count}`];
    lines.push(
      '',
      `${label}, \`node -e 0\` ${ms(node)}:`,
      '',
      '| profiles (both files) | cached `credential-process` | ÷ 1 profile | ÷ `node -e 0` | `list` | `doctor` | `__complete profiles` |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const home of homes) {
      const of = (name) => medians[`${label} ${name} ${home.count}`];
      const cached = of('cached');
      lines.push(
        `| ${home.count.toLocaleString('en')} (${kb(home.bytes)}) | ${ms(cached)} | ${(cached / one).toFixed(2)} | ${(cached / node).toFixed(2)} | ${ms(of('list'))} | ${ms(of('doctor'))} | ${ms(of('complete'))} |`,
      );
    }
  }
  return lines.join('\n');
}

function ms(value) {
  return `${value.toFixed(1)} ms`;
}

function kb(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
