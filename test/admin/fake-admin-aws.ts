import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { errorReply, type FakeReply, LocalServer } from '../aws/fake-aws.js';
import { iamErrorReply } from '../aws/fake-iam.js';

const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const ACCOUNT = '123456789012';
/** The key ids CreateAccessKey hands out, in order. */
const NEW_KEY_IDS = ['AKIANEWKEY000000WXYZ', 'AKIANEWKEY000000WXY2'];
/** The seed every virtual MFA device of the fake gets: 64 base32 characters, as AWS hands out. */
export const DEVICE_SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export interface AdminRequest {
  action: string;
  /** The access key id that signed the request. */
  accessKeyId: string;
  params: URLSearchParams;
}

export interface FakeAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  createDate: string;
  /** GetCallerIdentity refuses the key this many more times (IAM's eventual consistency). */
  unknownFor: number;
}

interface FakeUser {
  name: string;
  arn: string;
  keys: FakeAccessKey[];
}

/**
 * IAM and STS in one local server, in memory: users with access keys, virtual MFA devices, and the
 * replies of the real services' query protocol. `override` replaces the answer to one action.
 */
export class FakeAdminAws extends LocalServer {
  readonly requests: AdminRequest[] = [];
  readonly users = new Map<string, FakeUser>();
  /** Virtual MFA devices by serial: the user each is enabled for, if any. */
  readonly devices = new Map<string, { enabledFor: string | undefined }>();
  readonly rootKeyIds = new Set<string>();
  readonly overrides = new Map<string, (request: AdminRequest) => FakeReply>();
  newKeyIds = [...NEW_KEY_IDS];
  /** How many GetCallerIdentity calls a new key fails with InvalidClientTokenId before it works. */
  newKeysUnknownFor = 0;

  private constructor(server: http.Server) {
    super(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.answer(request, response));
  }

  static async start(): Promise<FakeAdminAws> {
    const fake = new FakeAdminAws(http.createServer());
    await fake.listen();
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  addUser(name: string, ...keys: Array<Pick<FakeAccessKey, 'accessKeyId' | 'secretAccessKey'>>): void {
    const arn = `arn:aws:iam::${ACCOUNT}:user/staff/${name}`;
    this.users.set(name.toLowerCase(), {
      name,
      arn,
      keys: keys.map((key) => ({ ...key, status: 'Active', createDate: '2025-01-02T03:04:05Z', unknownFor: 0 })),
    });
  }

  override(action: string, reply: (request: AdminRequest) => FakeReply): void {
    this.overrides.set(action, reply);
  }

  actions(): string[] {
    return this.requests.map((request) => request.action);
  }

  reset(): void {
    this.requests.length = 0;
    this.users.clear();
    this.devices.clear();
    this.rootKeyIds.clear();
    this.overrides.clear();
    this.newKeyIds = [...NEW_KEY_IDS];
    this.newKeysUnknownFor = 0;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const params = new URLSearchParams(body);
      const accessKeyId = /Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const recorded = { action: params.get('Action') ?? '', accessKeyId, params };
      this.requests.push(recorded);
      const reply = this.overrides.get(recorded.action)?.(recorded) ?? this.reply(recorded);
      response.writeHead(reply.status, { 'Content-Type': 'text/xml' });
      response.end(reply.body);
    });
  }

  private reply(request: AdminRequest): FakeReply {
    const params = request.params;
    switch (request.action) {
      case 'GetCallerIdentity':
        return this.callerIdentity(request.accessKeyId);
      case 'GetUser':
        return this.withUser(params, (user) =>
          iamReply(
            'GetUser',
            `<User><Path>/staff/</Path><UserName>${user.name}</UserName><UserId>AIDAEXAMPLE</UserId><Arn>${user.arn}</Arn></User>`,
          ),
        );
      case 'CreateVirtualMFADevice':
        return this.createDevice(params.get('VirtualMFADeviceName') ?? '');
      case 'EnableMFADevice':
        return this.withUser(params, (user) => this.enableDevice(user, params.get('SerialNumber') ?? ''));
      case 'DeleteVirtualMFADevice':
        return this.deleteDevice(params.get('SerialNumber') ?? '');
      case 'ListAccessKeys':
        return this.withUser(params, (user) =>
          iamReply(
            'ListAccessKeys',
            `<AccessKeyMetadata>${user.keys.map(keyMember).join('')}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`,
          ),
        );
      case 'CreateAccessKey':
        return this.withUser(params, (user) => this.createKey(user));
      case 'DeleteAccessKey':
        return this.withUser(params, (user) => this.deleteKey(user, params.get('AccessKeyId') ?? ''));
      default:
        return iamErrorReply(400, 'InvalidAction', `not faked: ${request.action}`);
    }
  }

  private callerIdentity(accessKeyId: string): FakeReply {
    if (this.rootKeyIds.has(accessKeyId)) return identityReply(`arn:aws:iam::${ACCOUNT}:root`);
    for (const user of this.users.values()) {
      const key = user.keys.find((candidate) => candidate.accessKeyId === accessKeyId);
      if (key && key.unknownFor > 0) key.unknownFor--;
      else if (key) return identityReply(user.arn);
    }
    return errorReply(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  }

  private withUser(params: URLSearchParams, reply: (user: FakeUser) => FakeReply): FakeReply {
    const name = params.get('UserName') ?? '';
    const user = this.users.get(name.toLowerCase());
    return user ? reply(user) : iamErrorReply(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`);
  }

  private createDevice(name: string): FakeReply {
    const serial = `arn:aws:iam::${ACCOUNT}:mfa/${name}`;
    if (this.devices.has(serial))
      return iamErrorReply(409, 'EntityAlreadyExists', 'MFADevice entity at the same path and name already exists.');
    this.devices.set(serial, { enabledFor: undefined });
    const seed = Buffer.from(DEVICE_SEED, 'ascii').toString('base64');
    const png = Buffer.from('not a real PNG').toString('base64');
    return iamReply(
      'CreateVirtualMFADevice',
      `<VirtualMFADevice><SerialNumber>${serial}</SerialNumber><Base32StringSeed>${seed}</Base32StringSeed><QRCodePNG>${png}</QRCodePNG></VirtualMFADevice>`,
    );
  }

  private enableDevice(user: FakeUser, serial: string): FakeReply {
    const device = this.devices.get(serial);
    if (!device) return iamErrorReply(404, 'NoSuchEntity', `VirtualMFADevice with serial number ${serial} doesn't exist.`);
    device.enabledFor = user.name;
    return iamReply('EnableMFADevice', '');
  }

  private deleteDevice(serial: string): FakeReply {
    const device = this.devices.get(serial);
    if (!device) return iamErrorReply(404, 'NoSuchEntity', `VirtualMFADevice with serial number ${serial} doesn't exist.`);
    if (device.enabledFor) return iamErrorReply(409, 'DeleteConflict', 'MFA VirtualDevice in use. Must deactivate first.');
    this.devices.delete(serial);
    return iamReply('DeleteVirtualMFADevice', '');
  }

  private createKey(user: FakeUser): FakeReply {
    if (user.keys.length >= 2) return iamErrorReply(409, 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2');
    const accessKeyId = this.newKeyIds.shift() ?? 'AKIANEWKEY000000MORE';
    const key: FakeAccessKey = {
      accessKeyId,
      secretAccessKey: `newSecret/${accessKeyId}/wJalrXUtnFEMIK7MDENG`,
      status: 'Active',
      createDate: '2026-11-22T08:00:00Z',
      unknownFor: this.newKeysUnknownFor,
    };
    user.keys.push(key);
    return iamReply(
      'CreateAccessKey',
      `<AccessKey><UserName>${user.name}</UserName><AccessKeyId>${accessKeyId}</AccessKeyId><Status>Active</Status>` +
        `<SecretAccessKey>${key.secretAccessKey}</SecretAccessKey><CreateDate>${key.createDate}</CreateDate></AccessKey>`,
    );
  }

  private deleteKey(user: FakeUser, accessKeyId: string): FakeReply {
    const index = user.keys.findIndex((key) => key.accessKeyId === accessKeyId);
    if (index < 0) return iamErrorReply(404, 'NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found`);
    user.keys.splice(index, 1);
    return iamReply('DeleteAccessKey', '');
  }
}

function keyMember(key: FakeAccessKey): string {
  return `<member><UserName>x</UserName><AccessKeyId>${key.accessKeyId}</AccessKeyId><Status>${key.status}</Status><CreateDate>${key.createDate}</CreateDate></member>`;
}

/** IAM's success document: `<ActionResponse><ActionResult>…</ActionResult>`, or no result for actions that return none. */
function iamReply(action: string, result: string): FakeReply {
  const resultElement = result === '' ? '' : `<${action}Result>${result}</${action}Result>`;
  return {
    status: 200,
    body:
      `<${action}Response xmlns="${IAM_NAMESPACE}">${resultElement}` +
      `<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></${action}Response>`,
  };
}

function identityReply(arn: string): FakeReply {
  return {
    status: 200,
    body:
      `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}"><GetCallerIdentityResult><Arn>${arn}</Arn>` +
      `<UserId>AIDAEXAMPLE</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult>` +
      '<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
  };
}
