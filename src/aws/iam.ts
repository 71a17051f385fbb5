import {
  type AccessKeyMetadata,
  CreateAccessKeyCommand,
  CreateVirtualMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  type MFADevice,
} from '@aws-sdk/client-iam';
import type { LongTermKeys } from '../core/credentials.js';
import { type AwsClientRequest, type CallContext, incompleteResponse, ServiceClient, withClient } from './client-options.js';

export type IamClient = ServiceClient<IAMClient>;

export interface ListMfaDevicesRequest extends AwsClientRequest {
  /** Whose devices; the caller's when undefined. */
  userName?: string | undefined;
}

export interface MfaDevice {
  serialNumber: string;
  enableDate: Date | undefined;
}

/**
 * IAM is global: the SDK resolves every region of a partition to the partition's one endpoint and
 * signing region (iam.amazonaws.com for us-east-1, iam.cn-north-1.amazonaws.com.cn, iam.us-gov.amazonaws.com).
 */
export function createIamClient(request: AwsClientRequest): IamClient {
  return new ServiceClient('iam', request, (options) => new IAMClient(options));
}

export async function listMfaDevices(request: ListMfaDevicesRequest): Promise<MfaDevice[]> {
  const devices = await callIam(
    request,
    'ListMFADevices',
    (client) =>
      allPages(
        (Marker) => client.send(new ListMFADevicesCommand({ UserName: request.userName, Marker })),
        (page) => page.MFADevices,
      ),
    { accessDeniedHint: 'an MFA-enforcing policy denies this to long-term keys: configure mfa_serial, or pass --mfa-serial' },
  );
  return devices.flatMap(toMfaDevice);
}

/** A virtual MFA device as CreateVirtualMFADevice hands it out: the only time AWS shows its seed. */
export interface NewVirtualMfaDevice {
  serialNumber: string;
  /** The base32 TOTP seed, as AWS sends it (upper case, no padding). */
  totpSeed: string;
}

export async function createVirtualMfaDevice(request: AwsClientRequest & { deviceName: string }): Promise<NewVirtualMfaDevice> {
  const output = await callIam(request, 'CreateVirtualMFADevice', (client) =>
    client.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: request.deviceName })),
  );
  const { SerialNumber, Base32StringSeed } = output.VirtualMFADevice ?? {};
  if (!SerialNumber || !Base32StringSeed?.length) throw incompleteResponse('IAM', 'CreateVirtualMFADevice', 'device and seed');
  // The API's blob holds the seed's base32 text, not the seed's bytes.
  return { serialNumber: SerialNumber, totpSeed: Buffer.from(Base32StringSeed).toString('ascii') };
}

export interface EnableMfaDeviceRequest extends AwsClientRequest {
  userName: string;
  serialNumber: string;
  /** Codes of two consecutive time steps. */
  codes: readonly [string, string];
}

export async function enableMfaDevice(request: EnableMfaDeviceRequest): Promise<void> {
  const [AuthenticationCode1, AuthenticationCode2] = request.codes;
  await callIam(
    request,
    'EnableMFADevice',
    (client) =>
      client.send(
        new EnableMFADeviceCommand({
          UserName: request.userName,
          SerialNumber: request.serialNumber,
          AuthenticationCode1,
          AuthenticationCode2,
        }),
      ),
    { secrets: request.codes },
  );
}

export async function deleteVirtualMfaDevice(request: AwsClientRequest & { serialNumber: string }): Promise<void> {
  await callIam(request, 'DeleteVirtualMFADevice', (client) =>
    client.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: request.serialNumber })),
  );
}

export interface IamUser {
  userName: string;
  arn: string;
}

/** The user of that name, in IAM's own spelling (names are unique regardless of case). */
export async function getUser(request: AwsClientRequest & { userName: string }): Promise<IamUser> {
  const output = await callIam(request, 'GetUser', (client) => client.send(new GetUserCommand({ UserName: request.userName })));
  const { UserName, Arn } = output.User ?? {};
  if (!UserName || !Arn) throw incompleteResponse('IAM', 'GetUser', 'user');
  return { userName: UserName, arn: Arn };
}

export interface AccessKeyInfo {
  accessKeyId: string;
  /** `Active` or `Inactive`. */
  status: string;
  createDate: Date | undefined;
}

export async function listAccessKeys(request: AwsClientRequest & { userName: string }): Promise<AccessKeyInfo[]> {
  const keys = await callIam(request, 'ListAccessKeys', (client) =>
    allPages(
      (Marker) => client.send(new ListAccessKeysCommand({ UserName: request.userName, Marker })),
      (page) => page.AccessKeyMetadata,
    ),
  );
  return keys.flatMap(toAccessKeyInfo);
}

/** A new access key of the user; its secret is in the answer only. */
export async function createAccessKey(request: AwsClientRequest & { userName: string }): Promise<LongTermKeys> {
  const output = await callIam(request, 'CreateAccessKey', (client) =>
    client.send(new CreateAccessKeyCommand({ UserName: request.userName })),
  );
  const { AccessKeyId, SecretAccessKey } = output.AccessKey ?? {};
  if (!AccessKeyId || !SecretAccessKey) throw incompleteResponse('IAM', 'CreateAccessKey', 'access key');
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey };
}

export async function deleteAccessKey(request: AwsClientRequest & { userName: string; accessKeyId: string }): Promise<void> {
  await callIam(request, 'DeleteAccessKey', (client) =>
    client.send(new DeleteAccessKeyCommand({ UserName: request.userName, AccessKeyId: request.accessKeyId })),
  );
}

/** Who an ARN of GetCallerIdentity names: an IAM user (by name, without its path), the root user, or anything else. */
export type Principal = { kind: 'user'; userName: string } | { kind: 'root' } | { kind: 'other' };

const IAM_PRINCIPAL_ARN = /^arn:[\w-]+:iam::\d{12}:(root|user\/.+)$/;

export function principalOf(arn: string): Principal {
  const resource = IAM_PRINCIPAL_ARN.exec(arn)?.[1];
  if (resource === 'root') return { kind: 'root' };
  if (resource === undefined) return { kind: 'other' };
  return { kind: 'user', userName: resource.slice(resource.lastIndexOf('/') + 1) };
}

/** One IAM operation on a client of its own; its errors become one line for the user. */
async function callIam<T>(request: AwsClientRequest, operation: string, send: (client: IAMClient) => Promise<T>, context?: CallContext) {
  return withClient(createIamClient(request), (iam) => iam.call(operation, send, context));
}

interface IamPage {
  IsTruncated?: boolean | undefined;
  Marker?: string | undefined;
}

/** The items of every page of an IAM list operation: IAM sets Marker, for the next page, while IsTruncated is true. */
async function allPages<Page extends IamPage, Item>(
  fetchPage: (marker: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => Item[] | undefined,
): Promise<Item[]> {
  const items: Item[] = [];
  let marker: string | undefined;
  do {
    const page = await fetchPage(marker);
    items.push(...(itemsOf(page) ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return items;
}

function toMfaDevice({ SerialNumber, EnableDate }: MFADevice): MfaDevice[] {
  return SerialNumber ? [{ serialNumber: SerialNumber, enableDate: EnableDate }] : [];
}

function toAccessKeyInfo({ AccessKeyId, Status, CreateDate }: AccessKeyMetadata): AccessKeyInfo[] {
  return AccessKeyId ? [{ accessKeyId: AccessKeyId, status: Status ?? 'Active', createDate: CreateDate }] : [];
}
