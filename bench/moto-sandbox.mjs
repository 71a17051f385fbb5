// What both benches need: a moto_server on a free port, a throwaway HOME with the `prod` profile
// (long-term keys and an MFA serial) and the environment that points aws-mfa at both, and medians.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const serial = 'arn:aws:iam::123456789012:mfa/bench';

/** Starts moto_server (its recorder writing into homeFolder) and resolves once it answers. */
export async function startMoto(homeFolder) {
  const port = await freePort();
  const moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, MOTO_RECORDER_FILEPATH: path.join(homeFolder, 'moto-recording') },
  });
  try {
    await waitForMoto(port);
  } catch (error) {
    moto.kill();
    throw error;
  }
  return { port, stop: () => moto.kill() };
}

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

export function writeProfiles(homeFolder) {
  mkdirSync(path.join(homeFolder, '.aws'), { recursive: true });
  writeFileSync(
    path.join(homeFolder, '.aws', 'credentials'),
    '[prod-long-term]\naws_access_key_id = AKIABENCH0000EXAMPLE\naws_secret_access_key = benchbenchbenchbenchbenchbenchbenchbench\n',
    { mode: 0o600 },
  );
  writeFileSync(path.join(homeFolder, '.aws', 'config'), `[profile prod]\nmfa_serial = ${serial}\nregion = us-east-1\n`);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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
