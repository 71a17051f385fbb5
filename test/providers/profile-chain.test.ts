import { describe, expect, it } from 'vitest';
import { parseIni } from '../../src/config/ini-file.js';
import type { AwsFiles } from '../../src/config/profile-settings.js';
import { UsageError } from '../../src/core/errors.js';
import { resolveProfileChain } from '../../src/providers/profile-chain.js';

const KEYS = '[root-long-term]\naws_access_key_id = AKIAROOTKEY0EXAMPLE\naws_secret_access_key = rootSecret/EXAMPLE\n';
const ROOT = '[profile root]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n';
const ROLE_A = '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = root\n';

function files(config: string, credentials = KEYS): AwsFiles {
  return {
    credentialsFile: { path: '/home/u/.aws/credentials', text: credentials, sections: parseIni(credentials, 'credentials') },
    configFile: { path: '/home/u/.aws/config', text: config, sections: parseIni(config, 'config') },
  };
}

/** The chain as a short description: root, serial, then each hop's profile, ARN, session name, external id, duration and MFA. */
function describeChain(config: string, profile: string, flags = {}): unknown {
  const chain = resolveProfileChain(files(config), profile, flags, {});
  return {
    root: chain.root.profile,
    serial: chain.root.mfaSerial ?? null,
    hops: chain.hops.map((hop) => [
      hop.settings.profile,
      hop.roleArn,
      hop.roleSessionName ?? null,
      hop.externalId ?? null,
      hop.durationSeconds,
      hop.withMfa,
    ]),
    named: chain.named.profile,
  };
}

describe('resolveProfileChain', () => {
  const chains: Array<[string, string, string, unknown]> = [
    [
      'a profile without role_arn is its own root',
      ROOT,
      'root',
      { root: 'root', serial: 'arn:aws:iam::123456789012:mfa/alice', hops: [], named: 'root' },
    ],
    [
      'a role on a root: one hop of 1 h',
      ROOT + ROLE_A,
      'a',
      {
        root: 'root',
        serial: 'arn:aws:iam::123456789012:mfa/alice',
        hops: [['a', 'arn:aws:iam::111111111111:role/a', null, null, 3600, false]],
        named: 'a',
      },
    ],
    [
      'a chain of three, hops from the root out, every setting read',
      `${ROOT}${ROLE_A}[profile b]\nrole_arn = arn:aws:iam::222222222222:role/path/b\nsource_profile = a\nrole_session_name = alice@corp\nexternal_id = ext-42\nduration_seconds = 1800\n`,
      'b',
      {
        root: 'root',
        serial: 'arn:aws:iam::123456789012:mfa/alice',
        hops: [
          ['a', 'arn:aws:iam::111111111111:role/a', null, null, 3600, false],
          ['b', 'arn:aws:iam::222222222222:role/path/b', 'alice@corp', 'ext-42', 1800, false],
        ],
        named: 'b',
      },
    ],
    [
      'mfa_serial on the role wins over the root: the first found from the named profile',
      `${ROOT}[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = root\nmfa_serial = arn:aws:iam::123456789012:mfa/phone\n`,
      'a',
      {
        root: 'root',
        serial: 'arn:aws:iam::123456789012:mfa/phone',
        hops: [['a', 'arn:aws:iam::111111111111:role/a', null, null, 3600, false]],
        named: 'a',
      },
    ],
    [
      'over 1 h on the first hop: assumed with MFA; a chained hop never is',
      `${ROOT}[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = root\nduration_seconds = 43200\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/b\nsource_profile = a\nduration_seconds = 7200\n`,
      'b',
      {
        root: 'root',
        serial: 'arn:aws:iam::123456789012:mfa/alice',
        hops: [
          ['a', 'arn:aws:iam::111111111111:role/a', null, null, 43200, true],
          ['b', 'arn:aws:iam::111111111111:role/b', null, null, 7200, false],
        ],
        named: 'b',
      },
    ],
    [
      'a source profile named nowhere in the files is a root (its keys may be in the keychain)',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = kc\n',
      'a',
      { root: 'kc', serial: null, hops: [['a', 'arn:aws:iam::111111111111:role/a', null, null, 3600, false]], named: 'a' },
    ],
    [
      'the default profile as a source',
      '[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/d\n[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = default\n',
      'a',
      {
        root: 'default',
        serial: 'arn:aws:iam::123456789012:mfa/d',
        hops: [['a', 'arn:aws:iam::111111111111:role/a', null, null, 3600, false]],
        named: 'a',
      },
    ],
  ];

  it.each(chains)('%s', (_name, config, profile, expected) => {
    expect(describeChain(config, profile)).toEqual(expected);
  });

  it('--mfa-serial wins over every mfa_serial of the chain', () => {
    expect(describeChain(ROOT + ROLE_A, 'a', { mfaSerial: 'GAHT12345678' })).toMatchObject({ serial: 'GAHT12345678' });
  });

  const refusals: Array<[string, string, string, RegExp]> = [
    [
      'a loop of two',
      `[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/b\nsource_profile = a\n`,
      'a',
      /source_profile loops: a -> b -> a/,
    ],
    [
      'a profile that is its own source',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = a\n',
      'a',
      /loops: a -> a/,
    ],
    ['no source_profile', '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\n', 'a', /has role_arn but no source_profile/],
    [
      'credential_source',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\ncredential_source = Environment\n',
      'a',
      /has credential_source.*long-term keys/,
    ],
    [
      'web_identity_token_file',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nweb_identity_token_file = /t\n',
      'a',
      /web_identity_token_file/,
    ],
    [
      'sso_start_url on the root',
      `${ROLE_A}[profile root]\nsso_start_url = https://x.awsapps.com/start\n`,
      'a',
      /sso_start_url.*aws sso login/,
    ],
    [
      'a role ARN of a user',
      '[profile a]\nrole_arn = arn:aws:iam::111111111111:user/a\nsource_profile = root\n',
      'a',
      /bad role_arn.*not a role ARN/,
    ],
    ['a role ARN with a short account', '[profile a]\nrole_arn = arn:aws:iam::1111:role/a\nsource_profile = root\n', 'a', /bad role_arn/],
    ['a session name with a space', `${ROLE_A}role_session_name = a b\n`, 'a', /bad role_session_name/],
    ['a one-character session name', `${ROLE_A}role_session_name = a\n`, 'a', /bad role_session_name/],
    ['an external id with a space', `${ROLE_A}external_id = a b\n`, 'a', /bad external_id/],
    ['a duration under 15 min', `${ROLE_A}duration_seconds = 600\n`, 'a', /bad duration_seconds/],
    ['a duration over 12 h', `${ROLE_A}duration_seconds = 43201\n`, 'a', /bad duration_seconds/],
    ['a duration that is not a number', `${ROLE_A}duration_seconds = 1h\n`, 'a', /bad duration_seconds/],
    ['a malformed mfa_serial on the role', `${ROLE_A}mfa_serial = mfa/{x}\n`, 'a', /bad MFA serial/],
  ];

  it.each(refusals)('refuses %s (exit 2)', (_name, config, profile, line) => {
    const refusal = (() => {
      try {
        resolveProfileChain(files(config), profile, {}, {});
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(UsageError);
    expect((refusal as UsageError).toLine()).toMatch(line);
    expect((refusal as UsageError).toLine()).not.toContain('\n');
  });
});
