// A moto_server on a free 127.0.0.1 port for the benchmarks: started, reset, stopped.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const READY_POLLS = 100;
const POLL_MS = 100;

/** Starts moto_server (the python3 on PATH must have moto) and waits until it answers. */
export async function startMoto() {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const moto = {
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
