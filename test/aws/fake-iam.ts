import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import { type FakeReply, LocalServer, type RecordedRequest, type TlsIdentity } from './fake-aws.js';

const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
const REQUEST_ID = '7a62c49f-347e-4fc4-9331-6e8eEXAMPLE';

/** AWS's error document as IAM sends it. */
export function iamErrorReply(status: number, code: string, message: string, type = 'Sender'): FakeReply {
  return {
    status,
    body:
      `<ErrorResponse xmlns="${IAM_NAMESPACE}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n` +
      `    <Message>${message}</Message>\n  </Error>\n  <RequestId>${REQUEST_ID}</RequestId>\n</ErrorResponse>\n`,
  };
}

export interface FakeMfaDevice {
  userName: string;
  serialNumber: string;
  enableDate: string;
}

/** One page of ListMFADevices, as IAM sends it: Marker only when IsTruncated is true. */
export function listMfaDevicesReply(devices: readonly FakeMfaDevice[], nextMarker?: string): FakeReply {
  const members = devices
    .map(
      (device) =>
        `      <member>\n        <UserName>${device.userName}</UserName>\n        <SerialNumber>${device.serialNumber}</SerialNumber>\n` +
        `        <EnableDate>${device.enableDate}</EnableDate>\n      </member>\n`,
    )
    .join('');
  const truncation =
    nextMarker === undefined ? '<IsTruncated>false</IsTruncated>' : `<IsTruncated>true</IsTruncated>\n    <Marker>${nextMarker}</Marker>`;
  return {
    status: 200,
    body:
      `<ListMFADevicesResponse xmlns="${IAM_NAMESPACE}">\n  <ListMFADevicesResult>\n    ${truncation}\n` +
      `    <MFADevices>\n${members}    </MFADevices>\n  </ListMFADevicesResult>\n` +
      `  <ResponseMetadata>\n    <RequestId>${REQUEST_ID}</RequestId>\n  </ResponseMetadata>\n</ListMFADevicesResponse>\n`,
  };
}

/** A stand-in for IAM: `respond` chooses the reply to each request, e.g. by its Marker. */
export class FakeIam extends LocalServer {
  readonly requests: RecordedRequest[] = [];
  respond: (request: RecordedRequest) => FakeReply = () => listMfaDevicesReply([]);

  private constructor(server: http.Server) {
    super(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.answer(request, response));
  }

  static async start(tls?: TlsIdentity): Promise<FakeIam> {
    const fake = new FakeIam(tls ? https.createServer({ key: tls.key, cert: tls.cert }) : http.createServer());
    await fake.listen();
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const recorded = {
        method: request.method ?? '',
        target: request.url ?? '',
        headers: request.headers,
        params: new URLSearchParams(body),
      };
      this.requests.push(recorded);
      const reply = this.respond(recorded);
      response.writeHead(reply.status, { 'Content-Type': 'text/xml', ...reply.headers });
      response.end(reply.body);
    });
  }
}

/**
 * A proxy that notes where each CONNECT wants to go and tunnels it to a local port instead:
 * the client believes it talks to AWS, and nothing leaves this machine.
 */
export class InterceptingProxy extends LocalServer {
  readonly connectTargets: string[] = [];

  private constructor(private readonly localPort: number) {
    super(http.createServer());
    this.server.on('connect', (request: IncomingMessage, client: net.Socket, head: Buffer) => this.tunnel(request, client, head));
  }

  static async start(localPort: number): Promise<InterceptingProxy> {
    const proxy = new InterceptingProxy(localPort);
    await proxy.listen();
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private tunnel(request: IncomingMessage, client: net.Socket, head: Buffer): void {
    this.connectTargets.push(request.url ?? '');
    const upstream = net.connect(this.localPort, '127.0.0.1', () => {
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

/** A self-signed certificate for the given host names, made with openssl in `dir`. */
export function makeCertificateFor(dir: string, hostNames: readonly string[]): TlsIdentity {
  const keyPath = join(dir, 'hosts-key.pem');
  const certPath = join(dir, 'hosts-cert.pem');
  const altNames = hostNames.map((name) => `DNS:${name}`).join(',');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${hostNames[0]}`,
      '-addext',
      `subjectAltName=${altNames}`,
    ].concat(['-keyout', keyPath, '-out', certPath]),
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}
