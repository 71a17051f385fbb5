/** The IAM partitions whose ARNs a policy may name. */
import type { Partition } from '../aws/partition.js';

export interface PolicyOptions {
  /** Sessions whose MFA is older than this are denied everything. */
  readonly maxAgeSeconds: number;
  /** AWS's "force MFA" pattern: a user without MFA may still enrol a device and change a password. */
  readonly selfService: boolean;
  readonly partition: Partition;
}

interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

/**
 * What a user without MFA may still do under the self-service policy: enrol (and clean up after a
 * failed enrolment), see their devices, change their password, and get an MFA session.
 */
export const ACTIONS_ALLOWED_WITHOUT_MFA = [
  'iam:CreateVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  'iam:ResyncMFADevice',
  'iam:DeleteVirtualMFADevice',
  'iam:GetUser',
  'iam:ChangePassword',
  'sts:GetSessionToken',
];

/** The IAM policy that enforces MFA on the API: no MFA, or MFA older than the max age, denies everything. */
export function enforceMfaPolicy(options: PolicyOptions): PolicyDocument {
  const denyWithoutMfa: Statement = {
    Sid: 'DenyAllWithoutMFA',
    Effect: 'Deny',
    ...(options.selfService ? { NotAction: ACTIONS_ALLOWED_WITHOUT_MFA } : { Action: '*' }),
    Resource: '*',
    Condition: { Null: { 'aws:MultiFactorAuthAge': 'true' } },
  };
  const denyStaleMfa: Statement = {
    Sid: 'DenyAllWhenMFAIsOlderThanMaxAge',
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { NumericGreaterThan: { 'aws:MultiFactorAuthAge': String(options.maxAgeSeconds) } },
  };
  const statements = options.selfService
    ? [...selfServiceAllows(options.partition), denyWithoutMfa, denyStaleMfa]
    : [denyWithoutMfa, denyStaleMfa];
  return { Version: '2012-10-17', Statement: statements };
}

function selfServiceAllows(partition: Partition): Statement[] {
  const ownUser = `arn:${partition}:iam::*:user/\${aws:username}`;
  return [
    {
      Sid: 'AllowViewAccountInfo',
      Effect: 'Allow',
      Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'],
      Resource: '*',
    },
    {
      Sid: 'AllowManageOwnPasswordAndUser',
      Effect: 'Allow',
      Action: ['iam:ChangePassword', 'iam:GetUser'],
      Resource: ownUser,
    },
    {
      Sid: 'AllowManageOwnVirtualMFADevice',
      Effect: 'Allow',
      Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'],
      Resource: `arn:${partition}:iam::*:mfa/*`,
    },
    {
      Sid: 'AllowManageOwnUserMFA',
      Effect: 'Allow',
      Action: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
      Resource: ownUser,
    },
  ];
}
