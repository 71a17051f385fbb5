import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../src/core/errors.js';
import type { Keychain } from '../../src/store/keychain.js';
import { type KeychainProfile, ProfileKeychain } from '../../src/store/profile-keychain.js';

/** The items of one service, in memory. */
class MemoryKeychain implements Keychain {
  readonly items = new Map<string, string>();

  async get(account: string): Promise<string | undefined> {
    return this.items.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    this.items.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.items.delete(account);
  }

  async entries(): Promise<Array<{ account: string; secret: string }>> {
    return [...this.items].map(([account, secret]) => ({ account, secret }));
  }
}

const keysOnly: KeychainProfile = { accessKeyId: 'AKIAPROFILEKEYCHAIN1', secretAccessKey: 'secret/key+1' };
const everything: KeychainProfile = {
  accessKeyId: 'AKIAPROFILEKEYCHAIN2',
  secretAccessKey: 'secret/key+2',
  mfaSerial: 'arn:aws:iam::123456789012:mfa/alice',
  totpSeed: 'JBSWY3DPEHPK3PXP',
};

function profileKeychain(): { memory: MemoryKeychain; profiles: ProfileKeychain } {
  const memory = new MemoryKeychain();
  return { memory, profiles: new ProfileKeychain(memory) };
}

describe('ProfileKeychain', () => {
  it('stores an item per profile, under the bare profile name, as versioned JSON', async () => {
    const { memory, profiles } = profileKeychain();

    await profiles.put('prod', everything);
    await profiles.put('dev', keysOnly);

    expect(memory.items.get('prod')).toBe(
      '{"version":1,"accessKeyId":"AKIAPROFILEKEYCHAIN2","secretAccessKey":"secret/key+2",' +
        '"mfaSerial":"arn:aws:iam::123456789012:mfa/alice","totpSeed":"JBSWY3DPEHPK3PXP"}',
    );
    expect(memory.items.get('dev')).toBe('{"version":1,"accessKeyId":"AKIAPROFILEKEYCHAIN1","secretAccessKey":"secret/key+1"}');
  });

  it('reads back what it stored', async () => {
    const { profiles } = profileKeychain();

    await profiles.put('prod', everything);
    await profiles.put('dev', keysOnly);

    expect(await profiles.get('prod')).toEqual(everything);
    expect(await profiles.get('dev')).toStrictEqual(keysOnly);
    expect(await profiles.get('missing')).toBeUndefined();
  });

  it('replaces the item of a profile that is stored again', async () => {
    const { profiles } = profileKeychain();

    await profiles.put('prod', everything);
    await profiles.put('prod', keysOnly);

    expect(await profiles.get('prod')).toStrictEqual(keysOnly);
  });

  it('deletes an item, and says whether there was one', async () => {
    const { profiles } = profileKeychain();
    await profiles.put('prod', keysOnly);

    expect(await profiles.delete('prod')).toBe(true);
    expect(await profiles.delete('prod')).toBe(false);
    expect(await profiles.get('prod')).toBeUndefined();
  });

  it('ignores fields it does not know in a version 1 item', async () => {
    const { memory, profiles } = profileKeychain();
    memory.items.set('prod', JSON.stringify({ version: 1, ...keysOnly, note: 'added by a later aws-mfa' }));

    expect(await profiles.get('prod')).toStrictEqual(keysOnly);
  });
});

describe('an item not in aws-mfa format', () => {
  const malformed: Record<string, string> = {
    'not JSON': 'SECRET-PLAIN-TEXT',
    'JSON that is not an object': '"SECRET-STRING"',
    'no version': JSON.stringify({ accessKeyId: 'AKIA1', secretAccessKey: 'SECRET-NO-VERSION' }),
    'another version': JSON.stringify({ version: 2, accessKeyId: 'AKIA1', secretAccessKey: 'SECRET-VERSION-2' }),
    'no secret key': JSON.stringify({ version: 1, accessKeyId: 'AKIA1' }),
    'an empty key id': JSON.stringify({ version: 1, accessKeyId: '', secretAccessKey: 'SECRET-EMPTY-ID' }),
    'a serial that is not a string': JSON.stringify({ version: 1, accessKeyId: 'AKIA1', secretAccessKey: 'SECRET-SERIAL', mfaSerial: 7 }),
    'a serial add would refuse': JSON.stringify({ version: 1, accessKeyId: 'AKIA1', secretAccessKey: 'SECRET-S', mfaSerial: 'mfa/{x}' }),
    'a seed that is not base32': JSON.stringify({
      version: 1,
      accessKeyId: 'AKIA1',
      secretAccessKey: 'SECRET-SEED',
      totpSeed: 'SEED-0189-SEED-0189',
    }),
  };

  it.each(Object.entries(malformed))('fails get() with a usage error that names the profile only: %s', async (_, secret) => {
    const { memory, profiles } = profileKeychain();
    memory.items.set('prod', secret);

    const error = await profiles.get('prod').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).toLine()).toBe(
      "aws-mfa: keychain item for prod: not in aws-mfa's format (`aws-mfa remove prod`, then `aws-mfa add prod` again)",
    );
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    expect((error as UsageError).cause).toBeUndefined();
  });

  it('quotes a profile name for the shell in the hint', async () => {
    const { memory, profiles } = profileKeychain();
    memory.items.set("team's prod", 'SECRET');

    const error = (await profiles.get("team's prod").catch((caught: unknown) => caught)) as UsageError;

    expect(error.toLine()).toContain("(`aws-mfa remove 'team'\\''s prod'`, then `aws-mfa add 'team'\\''s prod'` again)");
  });
});

describe('list()', () => {
  it('returns every profile sorted by name', async () => {
    const { profiles } = profileKeychain();
    await profiles.put('prod', everything);
    await profiles.put('dev', keysOnly);
    await profiles.put('team.staging', keysOnly);

    expect(await profiles.list()).toEqual([
      { profile: 'dev', item: keysOnly },
      { profile: 'prod', item: everything },
      { profile: 'team.staging', item: keysOnly },
    ]);
  });

  it('skips malformed items and reports each to onMalformed', async () => {
    const { memory, profiles } = profileKeychain();
    await profiles.put('good', keysOnly);
    memory.items.set('broken', 'SECRET-PLAIN-TEXT');
    const reported: Array<[string, string]> = [];

    const listed = await profiles.list((profile, error) => reported.push([profile, error.toLine()]));

    expect(listed).toEqual([{ profile: 'good', item: keysOnly }]);
    expect(reported).toEqual([
      ['broken', "aws-mfa: keychain item for broken: not in aws-mfa's format (`aws-mfa remove broken`, then `aws-mfa add broken` again)"],
    ]);
    expect(await profiles.list()).toEqual(listed);
  });

  it('leaves alone the items that are not profiles: accounts that start with [', async () => {
    const { memory, profiles } = profileKeychain();
    await profiles.put('prod', keysOnly);
    memory.items.set('[another-kind]', 'not a profile');
    const reported: string[] = [];

    expect(await profiles.list((profile) => reported.push(profile))).toEqual([{ profile: 'prod', item: keysOnly }]);
    expect(reported).toEqual([]);
  });

  it('passes keychain failures on', async () => {
    const { memory, profiles } = profileKeychain();
    memory.entries = () => Promise.reject(new Error('keychain unavailable'));

    await expect(profiles.list()).rejects.toThrow('keychain unavailable');
  });
});
