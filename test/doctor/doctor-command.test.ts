import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DoctorDependencies, doctorCommand } from '../../src/commands/doctor.js';
import type { KeychainInventory } from '../../src/store/keychain-inventory.js';
import { createFakeIo, type FakeIo } from '../fakes/fake-io.js';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'aws-mfa-doctor-'));
  writeFileSync(join(folder, 'config'), '[profile prod]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n');
  writeFileSync(join(folder, 'credentials'), '');
});

afterEach(() => rmSync(folder, { recursive: true, force: true }));

function dependencies(inventory: KeychainInventory, calls: string[]): DoctorDependencies {
  const io = createFakeIo({ env: { AWS_CONFIG_FILE: join(folder, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(folder, 'credentials') } });
  return {
    io,
    colour: false,
    inventoryKeychain: async () => inventory,
    readCachedSession: async () => undefined,
    fetchServerDate: async () => io.now(),
    readLongTermKeys: async () => {
      calls.push('readLongTermKeys');
      return { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
    },
    getCallerIdentity: async () => {
      calls.push('getCallerIdentity');
      return { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice', userId: 'AIDAEXAMPLE' };
    },
  };
}

describe('doctorCommand --online', () => {
  it('reads the keys of an unlocked keychain item and asks STS who they belong to', async () => {
    const calls: string[] = [];
    const deps = dependencies({ reached: true, items: [{ account: 'prod', locked: false }], defaultLocked: false }, calls);
    expect(await doctorCommand({ profile: 'prod', online: true }, deps)).toBe(0);
    expect(calls).toEqual(['readLongTermKeys', 'getCallerIdentity']);
    expect((deps.io as FakeIo).stdout.join('')).toContain('AKIA…MPLE is valid: arn:aws:iam::123456789012:user/alice');
  });

  it('never reads an item in a locked keyring, which could bring up an unlock prompt', async () => {
    const calls: string[] = [];
    const deps = dependencies({ reached: true, items: [{ account: 'prod', locked: true }], defaultLocked: true }, calls);
    expect(await doctorCommand({ profile: 'prod', online: true, json: true }, deps)).toBe(1);
    expect(calls).toEqual([]);
  });
});
