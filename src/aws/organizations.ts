import { type Account, ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { type AwsClientRequest, incompleteResponse, ServiceClient, withClient } from './client-options.js';

/** One account of the organisation, as ListAccounts describes it. */
export interface OrganizationAccount {
  readonly id: string;
  readonly name: string;
  /** `ACTIVE`, `SUSPENDED`, `PENDING_ACTIVATION`, `PENDING_CLOSURE` or `CLOSED`. */
  readonly state: string;
}

const ACCESS_DENIED_HINT =
  'the organisation audit needs organizations:ListAccounts: run it with the management account or a delegated administrator';

/**
 * Every account of the organisation, every page of organizations:ListAccounts. Organizations has
 * one endpoint per partition (us-east-1 for `aws`): the SDK picks it from any region.
 */
export async function listAccounts(request: AwsClientRequest): Promise<OrganizationAccount[]> {
  const client = new ServiceClient('organizations', request, (options) => new OrganizationsClient(options));
  const accounts = await withClient(client, (organizations) =>
    organizations.call(
      'ListAccounts',
      async (sdk) => {
        const items: Account[] = [];
        let nextToken: string | undefined;
        do {
          const page = await sdk.send(new ListAccountsCommand({ NextToken: nextToken }));
          items.push(...(page.Accounts ?? []));
          nextToken = page.NextToken;
        } while (nextToken);
        return items;
      },
      { accessDeniedHint: ACCESS_DENIED_HINT },
    ),
  );
  return accounts.map(toOrganizationAccount);
}

/** `State` replaces `Status` (retired by AWS in September 2026); an answer with only `Status` is still read. */
function toOrganizationAccount({ Id, Name, State, Status }: Account): OrganizationAccount {
  const state = State ?? Status;
  if (!Id || !state) throw incompleteResponse('Organizations', 'ListAccounts', 'account');
  return { id: Id, name: Name ?? '', state };
}
