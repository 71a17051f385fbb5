import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  findUsersWithoutMfa,
  NotACredentialReportError,
  parseCredentialReportCsv,
  readCredentialReport,
} from '../../src/admin/credential-report.js';
import { downloadCredentialReport, type ReportPolling } from '../../src/aws/iam-credential-report.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { SESSION } from '../aws/fake-aws.js';
import { FakeIam, iamErrorReply } from '../aws/fake-iam.js';
import { getCredentialReportReply, reportErrors, scriptedReportIam } from '../aws/fake-iam-credential-report.js';
import { HEADER } from './report-fixtures.js';

const NO_KEY = 'false,N/A,N/A,N/A,N/A';
const NO_CERTS = 'false,N/A,false,N/A';
const KEY_USED = 'true,2025-05-06T07:08:09+00:00,2026-11-21T12:00:00+00:00,us-east-1,s3';
const KEY_UNUSED = 'true,2026-01-02T03:04:05+00:00,N/A,N/A,N/A';
const KEY_INACTIVE = 'false,2024-02-03T04:05:06+00:00,2024-06-01T00:00:00+00:00,eu-west-1,iam';

/** password_enabled, password_last_used, password_last_changed, password_next_rotation, as AWS writes them. */
const PASSWORD = {
  rootUsed: 'not_supported,2026-11-20T09:00:00+00:00,not_supported,not_supported',
  rootUnused: 'not_supported,no_information,not_supported,not_supported',
  used: 'true,2026-11-21T08:30:00+00:00,2024-01-02T03:10:00+00:00,N/A',
  neverUsed: 'true,no_information,2026-11-20T03:04:05+00:00,N/A',
  none: 'false,N/A,N/A,N/A',
};

function row(user: string, password: string, mfaActive: boolean, key1 = NO_KEY, key2 = NO_KEY): string {
  const arn = user === '<root_account>' ? 'arn:aws:iam::123456789012:root' : `arn:aws:iam::123456789012:user/${user}`;
  return [user, arn, '2024-01-02T03:04:05+00:00', password, String(mfaActive), key1, key2, NO_CERTS].join(',');
}

const ROWS = {
  rootWithMfa: row('<root_account>', PASSWORD.rootUsed, true),
  rootWithoutMfa: row('<root_account>', PASSWORD.rootUnused, false),
  rootWithKeysWithoutMfa: row('<root_account>', PASSWORD.rootUnused, false, KEY_USED),
  consoleWithoutMfa: row('alice', PASSWORD.used, false),
  consoleNeverUsed: row('newbie', PASSWORD.neverUsed, false),
  twoKeysWithoutMfa: row('ci-bot', PASSWORD.none, false, KEY_USED, KEY_UNUSED),
  secondKeyWithoutMfa: row('backup', PASSWORD.none, false, KEY_INACTIVE, KEY_UNUSED),
  consoleAndKeyWithoutMfa: row('bob', PASSWORD.used, false, KEY_USED),
  cleanConsoleAndKey: row('carol', PASSWORD.used, true, KEY_USED),
  nothingToProtect: row('dave', PASSWORD.none, false),
  inactiveKeyOnly: row('erin', PASSWORD.none, false, KEY_INACTIVE),
} as const;

function report(...rows: string[]): string {
  return [HEADER, ...rows, ''].join('\n');
}

const MIXED_REPORT = report(ROWS.rootWithMfa, ROWS.consoleWithoutMfa, ROWS.twoKeysWithoutMfa, ROWS.cleanConsoleAndKey);
const MIXED_FINDINGS = [
  {
    user: 'alice',
    arn: 'arn:aws:iam::123456789012:user/alice',
    check: 'console-without-mfa',
    detail: 'console password, no MFA device; password last used 2026-11-21T08:30:00+00:00',
  },
  {
    user: 'ci-bot',
    arn: 'arn:aws:iam::123456789012:user/ci-bot',
    check: 'keys-without-mfa',
    detail: 'access keys 1 and 2 active, no MFA device',
  },
];

function notAReport(run: () => unknown): NotACredentialReportError {
  try {
    run();
  } catch (error) {
    if (error instanceof NotACredentialReportError) return error;
    throw error;
  }
  throw new Error('expected NotACredentialReportError, got a report');
}

describe('parseCredentialReportCsv', () => {
  it('reads the columns the audit needs from a real 22-column report, root row included', () => {
    const rows = parseCredentialReportCsv(report(ROWS.rootWithMfa, ROWS.twoKeysWithoutMfa, ROWS.secondKeyWithoutMfa));

    expect(rows).toEqual([
      {
        user: '<root_account>',
        arn: 'arn:aws:iam::123456789012:root',
        passwordEnabled: false,
        passwordLastUsed: '2026-11-20T09:00:00+00:00',
        mfaActive: true,
        activeAccessKeys: [],
      },
      {
        user: 'ci-bot',
        arn: 'arn:aws:iam::123456789012:user/ci-bot',
        passwordEnabled: false,
        passwordLastUsed: 'N/A',
        mfaActive: false,
        activeAccessKeys: [1, 2],
      },
      {
        user: 'backup',
        arn: 'arn:aws:iam::123456789012:user/backup',
        passwordEnabled: false,
        passwordLastUsed: 'N/A',
        mfaActive: false,
        activeAccessKeys: [2],
      },
    ]);
  });

  it('finds the columns by name: reordered columns and columns AWS may add are fine', () => {
    const columns = HEADER.split(',');
    const fields = ROWS.consoleWithoutMfa.split(',');
    const order = columns.map((_, index) => index).reverse();
    const csv = [
      [...order.map((index) => columns[index]), 'password_last_reset'].join(','),
      [...order.map((index) => fields[index]), 'N/A'].join(','),
    ].join('\r\n');

    expect(findUsersWithoutMfa(parseCredentialReportCsv(csv))).toEqual([MIXED_FINDINGS[0]]);
  });

  it('reads a header-only report as no users', () => {
    expect(parseCredentialReportCsv(`${HEADER}\n`)).toEqual([]);
  });
});

describe('findUsersWithoutMfa', () => {
  it('flags a console password without MFA (the CIS control), with when the password was last used', () => {
    expect(findUsersWithoutMfa(parseCredentialReportCsv(report(ROWS.consoleWithoutMfa, ROWS.consoleNeverUsed)))).toEqual([
      MIXED_FINDINGS[0],
      {
        user: 'newbie',
        arn: 'arn:aws:iam::123456789012:user/newbie',
        check: 'console-without-mfa',
        detail: 'console password, no MFA device; password never used',
      },
    ]);
  });

  it('flags the root user without MFA once: its password fields are not_supported, so no console-without-mfa', () => {
    expect(findUsersWithoutMfa(parseCredentialReportCsv(report(ROWS.rootWithoutMfa)))).toEqual([
      {
        user: '<root_account>',
        arn: 'arn:aws:iam::123456789012:root',
        check: 'root-without-mfa',
        detail: 'the root user has no MFA device',
      },
    ]);
  });

  it('flags root access keys without MFA as keys-without-mfa too', () => {
    expect(findUsersWithoutMfa(parseCredentialReportCsv(report(ROWS.rootWithKeysWithoutMfa))).map((finding) => finding.check)).toEqual([
      'root-without-mfa',
      'keys-without-mfa',
    ]);
  });

  it('flags active access keys without MFA, naming which keys are active (an inactive key is not)', () => {
    const findings = findUsersWithoutMfa(
      parseCredentialReportCsv(report(ROWS.twoKeysWithoutMfa, ROWS.secondKeyWithoutMfa, ROWS.inactiveKeyOnly)),
    );

    expect(findings).toEqual([
      MIXED_FINDINGS[1],
      {
        user: 'backup',
        arn: 'arn:aws:iam::123456789012:user/backup',
        check: 'keys-without-mfa',
        detail: 'access key 2 active, no MFA device',
      },
    ]);
  });

  it('gives one finding per user and check: a console password and a key without MFA are two', () => {
    expect(findUsersWithoutMfa(parseCredentialReportCsv(report(ROWS.consoleAndKeyWithoutMfa)))).toEqual([
      {
        user: 'bob',
        arn: 'arn:aws:iam::123456789012:user/bob',
        check: 'console-without-mfa',
        detail: 'console password, no MFA device; password last used 2026-11-21T08:30:00+00:00',
      },
      { user: 'bob', arn: 'arn:aws:iam::123456789012:user/bob', check: 'keys-without-mfa', detail: 'access key 1 active, no MFA device' },
    ]);
  });

  it('finds nothing in a clean report: MFA everywhere it matters, and users with neither password nor active key', () => {
    const clean = report(ROWS.rootWithMfa, ROWS.cleanConsoleAndKey, ROWS.nothingToProtect, ROWS.inactiveKeyOnly);

    expect(findUsersWithoutMfa(parseCredentialReportCsv(clean))).toEqual([]);
  });

  it('keeps the report’s order', () => {
    expect(findUsersWithoutMfa(parseCredentialReportCsv(MIXED_REPORT))).toEqual(MIXED_FINDINGS);
  });
});

describe('readCredentialReport: the three file formats', () => {
  const base64 = Buffer.from(MIXED_REPORT).toString('base64');

  it('reads the CSV itself, without a generation time', () => {
    expect(readCredentialReport(MIXED_REPORT)).toEqual({ rows: parseCredentialReportCsv(MIXED_REPORT), generatedTime: undefined });
  });

  it('reads a CSV saved by a spreadsheet: byte order mark, CRLF, trailing blank lines', () => {
    const saved = `\uFEFF${MIXED_REPORT.replaceAll('\n', '\r\n')}\r\n\r\n`;

    expect(findUsersWithoutMfa(readCredentialReport(saved).rows)).toEqual(MIXED_FINDINGS);
  });

  it('reads the base64 that the API returns, on one line or wrapped', () => {
    const wrapped = `${base64.match(/.{1,76}/g)?.join('\n')}\n`;

    expect(findUsersWithoutMfa(readCredentialReport(base64).rows)).toEqual(MIXED_FINDINGS);
    expect(findUsersWithoutMfa(readCredentialReport(wrapped).rows)).toEqual(MIXED_FINDINGS);
  });

  it('reads the JSON that `aws iam get-credential-report` prints, with its GeneratedTime', () => {
    const json = JSON.stringify({ Content: base64, ReportFormat: 'text/csv', GeneratedTime: '2026-11-22T07:00:00+00:00' }, null, 4);

    const parsed = readCredentialReport(`${json}\n`);

    expect(findUsersWithoutMfa(parsed.rows)).toEqual(MIXED_FINDINGS);
    expect(parsed.generatedTime).toEqual(new Date('2026-11-22T07:00:00Z'));
  });

  it('leaves a GeneratedTime it cannot read unknown rather than refusing the report', () => {
    expect(readCredentialReport(JSON.stringify({ Content: base64, GeneratedTime: 'yesterday' })).generatedTime).toBeUndefined();
  });
});

describe('readCredentialReport: inputs that are not a credential report', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

  it.each([
    ['an empty file', '', 'the input is empty'],
    ['blank lines', '\n  \n', 'the input is empty'],
    [
      'an HTML page',
      '<!DOCTYPE html>\n<html lang="en">\n<body>Sign in</body>\n</html>\n',
      'malformed CSV at line 2 (INVALID_OPENING_QUOTE)',
    ],
    ['random JSON', '{"Users": [{"UserName": "alice"}]}', 'JSON without a Content string'],
    ['invalid JSON', '{"Content": ', 'invalid JSON'],
    ['JSON whose Content is not base64', '{"Content": "user,arn,mfa_active"}', 'the JSON Content is not base64'],
    ['a CSV without the columns', 'name,email\nalice,alice@example.com\n', 'the CSV header lacks user, arn, password_enabled'],
    ['a CSV missing one column', `${HEADER.replace(',mfa_active', '')}\n`, 'the CSV header lacks mfa_active'],
    ['rows of another length', `${HEADER}\nalice,arn:aws:iam::123456789012:user/alice,true\n`, 'malformed CSV at line 2'],
    ['base64 of binary data', Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x92, 0xa3]).toString('base64'), 'base64 that does not decode to text'],
    ['base64 of other text', Buffer.from('hello, world').toString('base64'), 'the CSV header lacks user'],
    [
      'a value that is neither true nor false',
      `${HEADER}\n${ROWS.consoleWithoutMfa.replace(',N/A,false,', ',N/A,yes,')}\n`,
      'line 2: mfa_active is neither true nor false',
    ],
  ])('refuses %s', (_name, input, reason) => {
    const error = notAReport(() => readCredentialReport(input));

    expect(error.reason).toContain(reason);
    expect(error.message).toMatch(/^not an IAM credential report: /);
  });

  it('never quotes the input: a credentials file given by mistake stays out of the message', () => {
    const credentials = `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${secret}\n`;
    const quoted = `"${secret}`;

    for (const input of [credentials, quoted, `{"Content": "${secret}!"}`]) {
      const error = notAReport(() => readCredentialReport(input));
      expect(error.message).not.toContain('AKIA');
      expect(error.message).not.toContain(secret.slice(0, 8));
    }
  });
});

describe('downloadCredentialReport against a fake IAM', () => {
  const generatedTime = '2026-11-22T07:00:00Z';
  let iam: FakeIam;

  beforeAll(async () => {
    iam = await FakeIam.start();
  });
  afterAll(() => iam.close());
  afterEach(() => {
    iam.requests.length = 0;
  });

  /** A clock that only moves when the code under test sleeps. */
  function fakePolling(): ReportPolling & { sleeps: number[]; waits: number } {
    let now = Date.parse('2026-11-22T08:00:00Z');
    const polling = {
      sleeps: [] as number[],
      waits: 0,
      now: () => new Date(now),
      sleep: async (milliseconds: number) => {
        polling.sleeps.push(milliseconds);
        now += milliseconds;
      },
      onWait: () => {
        polling.waits++;
      },
    };
    return polling;
  }

  function download(polling: ReportPolling) {
    return downloadCredentialReport(
      {
        credentials: { ...SESSION, expiration: new Date(SESSION.expiration) },
        target: { region: 'us-east-1', endpoint: iam.url, caBundle: undefined },
        env: {},
      },
      polling,
    );
  }

  function actions(): string[] {
    return iam.requests.map((request) => request.params.get('Action') ?? '');
  }

  it('generates the report, polls with backoff until COMPLETE, then gets it', async () => {
    iam.respond = scriptedReportIam(
      ['STARTED', 'INPROGRESS', 'INPROGRESS', 'COMPLETE'],
      [() => getCredentialReportReply(MIXED_REPORT, generatedTime)],
    );
    const polling = fakePolling();

    const result = await download(polling);

    expect(result).toEqual({ csv: MIXED_REPORT, generatedTime: new Date(generatedTime) });
    expect(actions()).toEqual([
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
    ]);
    expect(polling.sleeps).toEqual([1000, 2000, 4000]);
    expect(polling.waits).toBe(1);
  });

  it('gets a report that is already there at once: no wait, no message', async () => {
    iam.respond = scriptedReportIam(['COMPLETE'], [() => getCredentialReportReply(MIXED_REPORT, generatedTime)]);
    const polling = fakePolling();

    await download(polling);

    expect(actions()).toEqual(['GenerateCredentialReport', 'GetCredentialReport']);
    expect(polling.sleeps).toEqual([]);
    expect(polling.waits).toBe(0);
  });

  it.each(['ReportInProgress', 'ReportNotPresent', 'ReportExpired'] as const)(
    'generates again and waits when GetCredentialReport says %s',
    async (code) => {
      iam.respond = scriptedReportIam(['COMPLETE'], [reportErrors[code], () => getCredentialReportReply(MIXED_REPORT, generatedTime)]);
      const polling = fakePolling();

      const result = await download(polling);

      expect(result.csv).toBe(MIXED_REPORT);
      expect(actions()).toEqual(['GenerateCredentialReport', 'GetCredentialReport', 'GenerateCredentialReport', 'GetCredentialReport']);
      expect(polling.sleeps).toEqual([1000]);
    },
  );

  it('gives up after 60 s of waiting, with a one-line error (exit 1)', async () => {
    iam.respond = scriptedReportIam(['STARTED', 'INPROGRESS'], []);
    const polling = fakePolling();

    const error = await download(polling).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(AwsMfaError);
    expect((error as AwsMfaError).toLine()).toBe('aws-mfa: credential report: AWS has not generated it after 60 s (try again in a minute)');
    expect((error as AwsMfaError).exitCode).toBe(1);
    expect(polling.sleeps).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000, 8000, 5000]);
    expect(actions().every((action) => action === 'GenerateCredentialReport')).toBe(true);
  });

  it('stops at once on AccessDenied, naming the permissions the audit needs', async () => {
    iam.respond = () =>
      iamErrorReply(
        403,
        'AccessDenied',
        'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:GenerateCredentialReport',
      );

    const error = await download(fakePolling()).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect((error as AwsMfaError).toLine()).toMatch(/^aws-mfa: GenerateCredentialReport failed: access denied: /);
    expect((error as AwsMfaError).hint).toBe('the audit needs iam:GenerateCredentialReport and iam:GetCredentialReport');
    expect(actions()).toEqual(['GenerateCredentialReport']);
  });
});
