import { describe, expect, it } from 'vitest';
import { parseIni } from '../../src/config/ini-file.js';
import type { AwsFiles } from '../../src/config/profile-settings.js';
import { checkRoleChain } from '../../src/doctor/role-chain-check.js';

function files(config: string, credentials = ''): AwsFiles {
  return {
    configFile: { path: '/home/a/.aws/config', text: config, sections: parseIni(config, 'config') },
    credentialsFile: { path: '/home/a/.aws/credentials', text: credentials, sections: parseIni(credentials, 'credentials') },
  };
}

const role = (name: string, source: string) =>
  `[profile ${name}]\nrole_arn = arn:aws:iam::210987654321:role/${name}\nsource_profile = ${source}\n`;

describe('checkRoleChain', () => {
  it('walks to the root', () => {
    const chain = checkRoleChain(files(`${role('deploy', 'admin')}${role('admin', 'base')}[profile base]\n`), 'deploy', {});
    expect(chain.hops).toEqual(['deploy', 'admin', 'base']);
    expect(chain.result.status).toBe('ok');
  });

  it('leaves a root named in neither file to the keys check: its keys may be in the keychain alone', () => {
    expect(checkRoleChain(files(role('a', 'keychain-only')), 'a', {}).hops).toEqual(['a', 'keychain-only']);
  });

  it.each([
    ['a loop', `${role('a', 'b')}${role('b', 'c')}${role('c', 'a')}`, 'source_profile loop: a -> b -> c -> a'],
    ['no source_profile', '[profile a]\nrole_arn = arn:aws:iam::210987654321:role/a\n', '[profile a] has role_arn but no source_profile'],
    [
      'credential_source',
      '[profile a]\nrole_arn = arn:aws:iam::210987654321:role/a\ncredential_source = Ec2InstanceMetadata\n',
      '[profile a] has credential_source',
    ],
    ['SSO keys on the root', `${role('a', 'b')}[profile b]\nsso_session = corp\n`, '[profile b] has sso_session'],
  ])('fails on %s, naming it', (_, config, detail) => {
    const chain = checkRoleChain(files(config), 'a', {});
    expect(chain.hops).toBeUndefined();
    expect(chain.result).toMatchObject({ status: 'fail', detail: expect.stringContaining(detail) });
  });
});
