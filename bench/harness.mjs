// What every bench script shares: a moto_server on a free port, a throwaway HOME with the `prod`
// profile (long-term keys and an MFA serial) and the environment that points aws-mfa at both,
// running and timing commands, and medians.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const serial = 'arn:aws:iam::123456789012:mfa/bench';

const READY_POLLS = 100;
const POLL_MS = 100;

/**
 * Starts moto_server (the python3 on PATH must have moto) and resolves once it answers; its
 * recorder, when started, writes into `recordingFolder`.
 */
export async function startMoto(recordingFolder) {
  const port = await freePort();
  const recording = recordingFolder === undefined ? {} : { MOTO_RECORDER_FILEPATH: path.join(recordingFolder, 'moto-recording') };
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, ...recording },
  });
  const url = `http://127.0.0.1:${port}`;
  const moto = {
    port,
    url,
    reset: () => fetch(`${url}/moto-api/reset`, { method: 'POST' }).then((response) => response.arrayBuffer()),
    stop: () => child.kill(),
  };
  for (let poll = 0; poll < READY_POLLS; poll++) {
    if (await answers(url)) return moto;
    await sleep(POLL_MS);
  }
  moto.stop();
  throw new Error('moto_server did not start');
}

/** The process environment without AWS settings or a D-Bus session, pointed at a throwaway HOME and moto. */
export function sandboxEnvironment(homeFolder, motoPort) {
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

/** The `prod` profile: long-term keys in the credentials file, the MFA serial in the config file. */
export function writeProfiles(homeFolder) {
  mkdirSync(path.join(homeFolder, '.aws'), { recursive: true });
  writeFileSync(
    path.join(homeFolder, '.aws', 'credentials'),
    '[prod-long-term]\naws_access_key_id = AKIABENCH0000EXAMPLE\naws_secret_access_key = benchbenchbenchbenchbenchbenchbenchbench\n',
    { mode: 0o600 },
  );
  writeFileSync(path.join(homeFolder, '.aws', 'config'), `[profile prod]\nmfa_serial = ${serial}\nregion = us-east-1\n`);
}

/**
 * Each `--node PATH` of the command line, else the Node running this and the pinned Node 24 of
 * .ci/install-node (installed once), one per version: [{ label, path }].
 */
export function chooseNodes(repoRoot, argv = process.argv) {
  const named = argv.flatMap((arg, index) => (argv[index - 1] === '--node' ? [arg] : []));
  const paths = named.length > 0 ? named : [process.execPath, pinnedNode24(repoRoot)];
  const byVersion = new Map(paths.map((node) => [execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(), node]));
  return [...byVersion].map(([version, node]) => ({ label: `Node ${version.slice(1)}`, path: node }));
}

function pinnedNode24(repoRoot) {
  const folder = execFileSync('bash', [path.join(repoRoot, '.ci', 'install-node')], { encoding: 'utf8' }).trim();
  return path.join(folder, 'bin', 'node');
}

/** Runs a command to its end and returns the result; throws with its stderr when it fails. `stdout: 'pipe'` keeps its output. */
export function run(command, args, env, { cwd, stdout = 'ignore' } = {}) {
  const result = spawnSync(command, args, { env, cwd, stdio: ['ignore', stdout, 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result;
}

/** The wall time of one run, in ms. */
export function timed(command, args, env, options) {
  const start = process.hrtime.bigint();
  run(command, args, env, options);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The median time of each command, run `count` times in turn (after one warm-up run each), so that machine noise hits all of them alike. */
export function alternate(commands, count) {
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (const command of Object.values(commands)) command(); // warm the file cache
  for (let round = 0; round < count; round++) {
    for (const [name, command] of Object.entries(commands)) samples[name].push(command());
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function answers(url) {
  try {
    return (await fetch(`${url}/moto-api/`)).ok;
  } catch {
    return false;
  }
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
