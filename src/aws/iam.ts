import { IAMClient, ListMFADevicesCommand, type MFADevice } from '@aws-sdk/client-iam';
import { type AwsClientRequest, ServiceClient, withClient } from './client-options.js';

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
  const devices = await withClient(createIamClient(request), (iam) =>
    iam.call(
      'ListMFADevices',
      (client) =>
        allPages(
          (Marker) => client.send(new ListMFADevicesCommand({ UserName: request.userName, Marker })),
          (page) => page.MFADevices,
        ),
      { accessDeniedHint: 'an MFA-enforcing policy denies this to long-term keys: configure mfa_serial, or pass --mfa-serial' },
    ),
  );
  return devices.flatMap(toMfaDevice);
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
