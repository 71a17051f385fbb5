#!/usr/bin/env node
// Cost as work grows: a cached `credential-process` and `list` with 1, 100, 1,000 and 10,000
// profiles in both AWS files (and as many cached sessions of other profiles), alternating the
// homes so that machine noise hits all of them alike; prints medians as Markdown
// (docs/performance.md holds a copy). Needs a built aws-mfa (npm run build) and moto_server.
//   node bench/scale.mjs [--runs 20] [--sizes 1,100,1000,10000]
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, run, sandboxEnvironment, startMoto, timed } from './harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'bin', 'aws-mfa');
const runs = Number(option('--runs')) || 20;
const sizes = (option('--sizes') ?? '1,100,1000,10000').split(',').map(Number);

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
  run(cli, ['login', '-p', 'prod', '--code', '123456'], env);
  copySessions(path.join(home, '.cache'), names.slice(0, -1));
  const bytes = statSync(path.join(home, '.aws', 'credentials')).size + statSync(path.join(home, '.aws', 'config')).size;
  return { count, env, bytes };
}

/** Copies prod's cached session file under the other profiles' names, wherever the cache keeps it. */
function copySessions(cacheHome, others) {
  const sessionFile = findFiles(cacheHome).find((file) => path.basename(file) === 'prod.json');
  if (!sessionFile) throw new Error(`no cached session prod.json under ${cacheHome}`);
  for (const name of others) copyFileSync(sessionFile, path.join(path.dirname(sessionFile), `${name}.json`));
}

function findFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? findFiles(path.join(folder, entry.name)) : [path.join(folder, entry.name)],
  );
}

function measure(homes) {
  const env = homes[0].env;
  const commands = { 'node -e 0': () => timed('node', ['-e', '0'], env) };
  for (const home of homes) {
    commands[`cached ${home.count}`] = () => timed(cli, ['credential-process', '-p', 'prod'], home.env);
    commands[`list ${home.count}`] = () => timed(cli, ['list'], home.env);
  }
  return alternate(commands, runs);
}

function report(homes, medians) {
  const node = medians['node -e 0'];
  const one = medians[`cached ${homes[0].count}`];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, Node ${process.version}; ${runs} alternating runs, medians; \`node -e 0\` ${ms(node)}.`,
    '',
    '| profiles (both files) | cached `credential-process` | ÷ 1 profile | ÷ `node -e 0` | `list` |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const home of homes) {
    const cached = medians[`cached ${home.count}`];
    lines.push(
      `| ${home.count.toLocaleString('en')} (${kb(home.bytes)}) | ${ms(cached)} | ${(cached / one).toFixed(2)} | ${(cached / node).toFixed(2)} | ${ms(medians[`list ${home.count}`])} |`,
    );
  }
  return lines.join('\n');
}

function ms(value) {
  return `${value.toFixed(1)} ms`;
}

function kb(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
