// What the bench scripts share: a sandbox environment against a local moto_server, a free port,
// and medians.
import net from 'node:net';
import path from 'node:path';

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

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return free;
}

export async function waitForMoto(motoPort) {
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

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
