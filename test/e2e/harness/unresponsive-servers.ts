import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { LocalServer } from '../../aws/fake-aws.js';
import { killGroup } from './process.js';
import { pythonPath } from './python.js';

const startTimeoutMs = 15_000;

/** Accepts every connection, reads what it is sent, and never answers: a request sent, no response. */
export class SilentServer extends LocalServer {
  /** Connections accepted so far: one per attempt of the client. */
  connections = 0;

  private constructor() {
    super(
      net.createServer((socket) => {
        this.connections += 1;
        socket.resume();
      }),
    );
  }

  static async start(): Promise<SilentServer> {
    const server = new SilentServer();
    await server.listen();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}

/**
 * A socket that listens and never accepts, its accept queue already full (a backlog of 0 and two
 * connections of its own), so that Linux drops every further SYN: a connection is never made.
 * Python, since Node accepts every connection of a listening socket.
 */
const NEVER_ACCEPT = `
import socket, sys
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(0)
fillers = [socket.socket() for _ in range(2)]
for filler in fillers:
    filler.setblocking(False)
    filler.connect_ex(server.getsockname())
print(server.getsockname()[1], flush=True)
sys.stdin.read()
`;

export class UnacceptingServer {
  readonly #child: ChildProcess;
  readonly port: number;

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.port = port;
  }

  static async start(): Promise<UnacceptingServer> {
    const child = spawn(pythonPath(), ['-c', NEVER_ACCEPT], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      return new UnacceptingServer(child, await firstLineNumber(child));
    } catch (error) {
      killGroup(child.pid);
      throw error;
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  close(): void {
    killGroup(this.#child.pid);
  }
}

function firstLineNumber(child: ChildProcess): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`the never-accepting socket printed no port within ${startTimeoutMs} ms`)),
      startTimeoutMs,
    );
    child.once('exit', (code) => reject(new Error(`the never-accepting socket exited (${code}): ${output}`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (!output.includes('\n')) return;
      clearTimeout(timer);
      resolvePort(Number(output.trim()));
    });
  });
}
