import { describe, expect, it } from 'vitest';
import { parseIni } from '../../src/config/ini-file.js';
import type { AwsFiles } from '../../src/config/profile-settings.js';
import { checkRoleChain } from '../../src/doctor/role-chain-check.js';
import type { KeychainInventory } from '../../src/store/keychain-inventory.js';

function files(config: string, credentials = ''): AwsFiles {
  return {
    configFile: { path: '/home/a/.aws/config', text: config, sections: parseIni(config, 'config') },
    credentialsFile: { path: '/home/a/.aws/credentials', text: credentials, sections: parseIni(credentials, 'credentials') },
  };
}

/** A keychain searched, holding items for these profiles. */
const keychainWith = (...accounts: string[]): KeychainInventory => ({
  reached: true,
  items: accounts.map((account) => ({ account, locked: false })),
  defaultLocked: false,
});
const unreachable: KeychainInventory = { reached: false, why: 'no D-Bus session, which the Secret Service needs', hint: 'start one' };

const role = (name: string, source: string) =>
  `[profile ${name}]\nrole_arn = arn:aws:iam::210987654321:role/${name}\nsource_profile = ${source}\n`;

describe('checkRoleChain', () => {
  it('walks to the root', () => {
    const chain = checkRoleChain(files(`${role('deploy', 'admin')}${role('admin', 'base')}[profile base]\n`), 'deploy', {}, keychainWith());
    expect(chain.hops).toEqual(['deploy', 'admin', 'base']);
    expect(chain.result.status).toBe('ok');
  });

  it('takes a root named in neither file when the keychain holds it, or could not be searched (left to the keys checks)', () => {
    expect(checkRoleChain(files(role('a', 'keychain-only')), 'a', {}, keychainWith('keychain-only')).hops).toEqual(['a', 'keychain-only']);
    expect(checkRoleChain(files(role('a', 'keychain-only')), 'a', {}, unreachable).hops).toEqual(['a', 'keychain-only']);
  });

  it('fails on a root named nowhere, as the session commands say it', () => {
    const chain = checkRoleChain(files(role('a', 'nowhere')), 'a', {}, keychainWith('other'));
    expect(chain.hops).toBeUndefined();
    expect(chain.result).toMatchObject({
      status: 'fail',
      detail: "unknown source_profile 'nowhere' of a: not in /home/a/.aws/credentials or /home/a/.aws/config, nor in the keychain",
      fix: 'store its keys with `aws-mfa add nowhere`, or put them under [nowhere-long-term]',
    });
  });

  it.each([
    ['a loop', `${role('a', 'b')}${role('b', 'c')}${role('c', 'a')}`, 'source_profile loops: a -> b -> c -> a'],
    ['no source_profile', '[profile a]\nrole_arn = arn:aws:iam::210987654321:role/a\n', '[profile a] has role_arn but no source_profile'],
    [
      'credential_source',
      '[profile a]\nrole_arn = arn:aws:iam::210987654321:role/a\ncredential_source = Ec2InstanceMetadata\n',
      "[profile a] has credential_source, and aws-mfa's role chains start from long-term keys",
    ],
    ['a malformed role_arn', '[profile a]\nrole_arn = admin\nsource_profile = b\n', 'bad role_arn in [profile a]'],
    ['SSO keys on the root', `${role('a', 'b')}[profile b]\nsso_session = corp\n`, '[profile b] has sso_session'],
  ])('fails on %s, naming it', (_, config, detail) => {
    const chain = checkRoleChain(files(config), 'a', {}, keychainWith());
    expect(chain.hops).toBeUndefined();
    expect(chain.result).toMatchObject({ status: 'fail', detail: expect.stringContaining(detail) });
  });
});
