import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  /** The request target as received: `/` from a client, an absolute URI from a proxy's peer. */
  target: string;
  headers: IncomingHttpHeaders;
  params: URLSearchParams;
}

export interface FakeReply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** AWS's error document for the Query protocol, as STS sends it. */
export function errorReply(status: number, code: string, message: string, type = 'Sender'): FakeReply {
  return {
    status,
    body:
      `<ErrorResponse xmlns="${STS_NAMESPACE}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n` +
      `    <Message>${message}</Message>\n  </Error>\n  <RequestId>4c9d8e6a-4f5e-11ef-9a1b-0242ac120002</RequestId>\n</ErrorResponse>\n`,
  };
}

export const SESSION = {
  accessKeyId: 'ASIAZZZZZZZZZZEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLESESSION',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==',
  expiration: '2030-01-02T03:04:05Z',
};

export function successReply(): FakeReply {
  return {
    status: 200,
    body:
      `<GetSessionTokenResponse xmlns="${STS_NAMESPACE}">\n  <GetSessionTokenResult>\n    <Credentials>\n` +
      `      <AccessKeyId>${SESSION.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${SESSION.secretAccessKey}</SecretAccessKey>\n` +
      `      <SessionToken>${SESSION.sessionToken}</SessionToken>\n      <Expiration>${SESSION.expiration}</Expiration>\n` +
      `    </Credentials>\n  </GetSessionTokenResult>\n  <ResponseMetadata>\n` +
      `    <RequestId>58c5dbae-abef-11e0-8cfe-09039844ac7d</RequestId>\n  </ResponseMetadata>\n</GetSessionTokenResponse>\n`,
  };
}

export interface TlsIdentity {
  key: string;
  cert: string;
  certPath: string;
}

/** A self-signed certificate for 127.0.0.1, made with openssl in a temp dir. */
export function makeSelfSignedCertificate(dir: string): TlsIdentity {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ]),
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}

/** Something listening on 127.0.0.1 that records what it got; closing drops every connection. */
export abstract class LocalServer {
  protected readonly sockets = new Set<net.Socket>();

  constructor(protected readonly server: net.Server) {
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A stand-in for STS: answers every request with `reply`, over http or https. */
export class FakeSts extends LocalServer {
  readonly requests: RecordedRequest[] = [];
  reply: FakeReply = successReply();

  private constructor(
    server: http.Server,
    private readonly scheme: 'http' | 'https',
  ) {
    super(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.answer(request, response));
  }

  static async start(tls?: TlsIdentity): Promise<FakeSts> {
    const fake = tls
      ? new FakeSts(https.createServer({ key: tls.key, cert: tls.cert }), 'https')
      : new FakeSts(http.createServer(), 'http');
    await fake.listen();
    return fake;
  }

  get url(): string {
    return `${this.scheme}://127.0.0.1:${this.port}`;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      this.requests.push({
        method: request.method ?? '',
        target: request.url ?? '',
        headers: request.headers,
        params: new URLSearchParams(body),
      });
      response.writeHead(this.reply.status, { 'Content-Type': 'text/xml', ...this.reply.headers });
      response.end(this.reply.body);
    });
  }
}

/**
 * A forward proxy: absolute-URI requests for http targets, CONNECT tunnels for https ones.
 * With `credentials` (`user:password`) it answers 407 to requests without them.
 */
export class ForwardProxy extends LocalServer {
  /** `CONNECT host:port` or `POST http://host:port/`, one per request received. */
  readonly requests: string[] = [];

  private constructor(private readonly credentials: string | undefined) {
    super(http.createServer());
    this.server.on('request', (request: IncomingMessage, response: ServerResponse) => this.forward(request, response));
    this.server.on('connect', (request: IncomingMessage, client: net.Socket, head: Buffer) => this.tunnel(request, client, head));
  }

  static async start(options: { credentials?: string } = {}): Promise<ForwardProxy> {
    const proxy = new ForwardProxy(options.credentials);
    await proxy.listen();
    return proxy;
  }

  url(credentials?: string): string {
    return `http://${credentials ? `${credentials}@` : ''}127.0.0.1:${this.port}`;
  }

  private authorised(request: IncomingMessage): boolean {
    if (this.credentials === undefined) return true;
    const expected = `Basic ${Buffer.from(this.credentials).toString('base64')}`;
    return request.headers['proxy-authorization'] === expected;
  }

  private forward(request: IncomingMessage, response: ServerResponse): void {
    this.requests.push(`${request.method} ${request.url}`);
    if (!this.authorised(request)) {
      response.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="proxy"' }).end();
      return;
    }
    const upstream = http.request(request.url ?? '', { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  }

  private tunnel(request: IncomingMessage, client: net.Socket, head: Buffer): void {
    this.requests.push(`CONNECT ${request.url}`);
    if (!this.authorised(request)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host = '', port = ''] = (request.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  }
}

export function makeTempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'aws-mfa-sts-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A port nothing listens on (free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
