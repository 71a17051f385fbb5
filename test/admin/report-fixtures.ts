/** The 22 columns of a real credential report, in AWS's order. */
export const HEADER = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
].join(',');

export interface ReportUser {
  name: string;
  /** A console password (never used). */
  password?: boolean;
  activeKeys?: 0 | 1 | 2;
  mfa?: boolean;
}

const NO_KEY = 'false,N/A,N/A,N/A,N/A';
const UNUSED_KEY = 'true,2026-01-02T03:04:05+00:00,N/A,N/A,N/A';

/** A credential report of `account` with these users, as AWS writes its CSV. */
export function reportOf(account: string, users: readonly ReportUser[]): string {
  const rows = users.map((user) =>
    [
      user.name,
      `arn:aws:iam::${account}:user/${user.name}`,
      '2024-01-02T03:04:05+00:00',
      user.password ? 'true,no_information,2026-11-20T03:04:05+00:00,N/A' : 'false,N/A,N/A,N/A',
      String(user.mfa ?? false),
      (user.activeKeys ?? 0) >= 1 ? UNUSED_KEY : NO_KEY,
      (user.activeKeys ?? 0) >= 2 ? UNUSED_KEY : NO_KEY,
      'false,N/A,false,N/A',
    ].join(','),
  );
  return [HEADER, ...rows, ''].join('\n');
}
