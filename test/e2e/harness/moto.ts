import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import { withoutAwsSettings } from './environment.js';
import { killGroup } from './process.js';
import { pythonPath } from './python.js';

/** One request that moto received, as its recorder saw it. */
export interface RecordedRequest {
  /** The query-protocol action, e.g. `GetSessionToken`. */
  action: string;
  /** The service of the SigV4 credential scope, e.g. `sts` or `iam`. */
  service: string;
  /** The access key id that signed the request. */
  accessKeyId: string;
  /** The form-encoded request body: `body.get("TokenCode")`. */
  body: URLSearchParams;
}

export interface IamUserWithKey {
  userName: string;
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const readyTimeoutMs = 30_000;
const stopTimeoutMs = 5_000;
const pollIntervalMs = 100;
const startAttempts = 3;
const keptOutputChars = 4_000;
const allowEverything = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

/**
 * A moto_server on 127.0.0.1 with a free port, recording every AWS request it receives
 * into a temporary folder (never the checkout).
 */
export class MotoServer {
  #child: ChildProcess | undefined;
  #url: string | undefined;
  #tempDir: string | undefined;
  #output = '';

  /** `http://127.0.0.1:PORT`: the value for AWS_ENDPOINT_URL. */
  get url(): string {
    if (this.#url === undefined) throw new Error('moto is not running: call start() (or useMoto()) first');
    return this.#url;
  }

  async start(): Promise<void> {
    this.#tempDir = mkdtempSync(join(tmpdir(), 'aws-mfa-moto-'));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#startOnFreePort();
        break;
      } catch (error) {
        // Another process may take the free port before moto binds it: try another one.
        if (attempt === startAttempts) throw error;
      }
    }
    await this.clearRecording();
  }

  async stop(): Promise<void> {
    await this.#stopServer();
    if (this.#tempDir !== undefined) rmSync(this.#tempDir, { recursive: true, force: true });
  }

  /** A clean slate: no IAM/STS state, key checking off, an empty recording. */
  async reset(): Promise<void> {
    await this.#post('/moto-api/reset');
    await this.disableAuth();
    await this.clearRecording();
  }

  /** Makes moto check access keys (and IAM policies) from the (afterCalls+1)-th AWS call on. */
  async enableAuth(afterCalls: number): Promise<void> {
    await this.#post('/moto-api/reset-auth', String(afterCalls));
  }

  async disableAuth(): Promise<void> {
    await this.#post('/moto-api/reset-auth', 'inf');
  }

  async clearRecording(): Promise<void> {
    await this.#post('/moto-api/recorder/reset-recording');
  }

  /** The AWS requests received since the last clearRecording() or reset(), oldest first. */
  async recordedRequests(): Promise<RecordedRequest[]> {
    const response = await this.#fetch('/moto-api/recorder/download-recording', { method: 'GET' });
    return parseRecording(await response.text());
  }

  async countCalls(action: string): Promise<number> {
    const requests = await this.recordedRequests();
    return requests.filter((request) => request.action === action).length;
  }

  /**
   * Calls an IAM action (query protocol) and returns the response XML. The request is not
   * really signed: call it before enableAuth().
   */
  async iam(action: string, params: Record<string, string> = {}): Promise<string> {
    const body = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params });
    const response = await this.#fetch('/', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
      },
      body,
    });
    return response.text();
  }

  /** An IAM user allowed to do everything (so its key also works after enableAuth()), with an access key. */
  async createUserWithKey(userName: string): Promise<IamUserWithKey> {
    const user = await this.iam('CreateUser', { UserName: userName });
    await this.iam('PutUserPolicy', { UserName: userName, PolicyName: 'allow-all', PolicyDocument: allowEverything });
    const key = await this.iam('CreateAccessKey', { UserName: userName });
    return {
      userName,
      arn: xmlValue(user, 'Arn'),
      accessKeyId: xmlValue(key, 'AccessKeyId'),
      secretAccessKey: xmlValue(key, 'SecretAccessKey'),
    };
  }

  async #startOnFreePort(): Promise<void> {
    const port = await freePort();
    const child = spawn(pythonPath(), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      env: this.#serverEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.#output = '';
    const keepOutput = (chunk: string) => (this.#output = (this.#output + chunk).slice(-keptOutputChars));
    child.stdout.setEncoding('utf8').on('data', keepOutput);
    child.stderr.setEncoding('utf8').on('data', keepOutput);
    this.#child = child;
    this.#url = `http://127.0.0.1:${port}`;
    try {
      await this.#waitUntilReady(child);
    } catch (error) {
      await this.#stopServer();
      throw error;
    }
  }

  async #stopServer(): Promise<void> {
    if (this.#child !== undefined) await stopProcess(this.#child);
    this.#child = undefined;
    this.#url = undefined;
  }

  #serverEnv(): NodeJS.ProcessEnv {
    if (this.#tempDir === undefined) throw new Error('moto has no temporary folder');
    return {
      ...withoutAwsSettings(process.env),
      MOTO_ENABLE_RECORDING: 'true',
      MOTO_RECORDER_FILEPATH: join(this.#tempDir, 'recording.jsonl'),
    };
  }

  async #waitUntilReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`moto_server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${this.#output}`);
      }
      if (await this.#answers()) return;
      await sleep(pollIntervalMs);
    }
    throw new Error(`moto_server did not answer GET ${this.url}/moto-api/ within ${readyTimeoutMs} ms:\n${this.#output}`);
  }

  async #answers(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/moto-api/`);
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  async #post(path: string, text = ''): Promise<void> {
    await this.#fetch(path, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: text });
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    const response = await fetch(`${this.url}${path}`, init);
    if (!response.ok) throw new Error(`moto ${init.method} ${path}: HTTP ${response.status}: ${await response.text()}`);
    return response;
  }
}

/** One moto server for the test file: started in beforeAll, stopped in afterAll. */
export function useMoto(): MotoServer {
  const moto = new MotoServer();
  beforeAll(() => moto.start());
  afterAll(() => moto.stop());
  return moto;
}

/** The text of the first `<tag>` in an XML response. */
export function xmlValue(xml: string, tag: string): string {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (match?.[1] === undefined) throw new Error(`no <${tag}> in moto's response: ${xml}`);
  return match[1];
}

/**
 * Moto's recording is JSON lines: `{headers, method, url, body, body_encoded}`, where body is
 * base64 when body_encoded is true. Its own /moto-api/ calls are recorded too: drop them.
 */
function parseRecording(text: string): RecordedRequest[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RawRecord)
    .filter((record) => !new URL(record.url).pathname.startsWith('/moto-api/'))
    .map(toRecordedRequest);
}

interface RawRecord {
  headers: Record<string, string>;
  method: string;
  url: string;
  body: string | null;
  body_encoded: boolean;
}

function toRecordedRequest(record: RawRecord): RecordedRequest {
  const rawBody = record.body ?? '';
  const body = new URLSearchParams(record.body_encoded ? Buffer.from(rawBody, 'base64').toString('utf8') : rawBody);
  const [accessKeyId = '', , , service = ''] = credentialScope(record.headers);
  return { action: body.get('Action') ?? '', service, accessKeyId, body };
}

/** `Credential=AKID/DATE/REGION/SERVICE/aws4_request` of the Authorization header, split on `/`. */
function credentialScope(headers: Record<string, string>): string[] {
  const authorization = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
  return /Credential=([^,\s]+)/.exec(authorization)?.[1]?.split('/') ?? [];
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  killGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}
