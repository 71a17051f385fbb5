import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAwsFiles } from '../../src/config/profile-settings.js';

let home: string;
let env: Record<string, string>;
const record = (): string => path.join(home, '.cache', 'aws-mfa', 'validated-aws-files.json');
const configPath = (): string => path.join(home, '.aws', 'config');

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'aws-mfa-validated-'));
  env = { HOME: home, XDG_CACHE_HOME: path.join(home, '.cache') };
  await fs.mkdir(path.join(home, '.aws'));
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

/** Enough profiles for the file to be worth remembering (64 KiB). */
const MANY = Array.from({ length: 2500 }, (_, index) => `[profile p${index}]\nregion = us-east-1\n`).join('');

/** A file is remembered only once its last change (its ctime, which utimes cannot set back) is two seconds old. */
async function writeSettled(file: string, text: string): Promise<void> {
  await fs.writeFile(file, text);
  await new Promise((resolve) => setTimeout(resolve, 2100));
}

describe('files found valid before', () => {
  it('are remembered by version, and a rewrite of the same size and time is checked again in full', async () => {
    await writeSettled(configPath(), `${MANY}[profile a]\nregion = eu-west-1\n[profile b]\nregion = eu-west-2\n`);
    const first = await readAwsFiles(env, 'linux');
    expect(first.configFile.sections.get('profile b')?.get('region')).toBe('eu-west-2');
    expect(Object.keys(JSON.parse(readFileSync(record(), 'utf8')).files)).toEqual([configPath()]);

    const again = await readAwsFiles(env, 'linux');
    expect(again.configFile.sections.get('profile b')?.get('region')).toBe('eu-west-2');

    // Same size, same modification time: a duplicate key that botocore refuses.
    const { mtime } = await fs.stat(configPath());
    await fs.writeFile(configPath(), `${MANY}[profile a]\nregion = eu-west-1\n[profile a]\nregion = eu-west-2\n`);
    await fs.utimes(configPath(), mtime, mtime);
    await expect(readAwsFiles(env, 'linux')).rejects.toThrow(/malformed .*config: line 5003: duplicate section \[profile a\]/);
  });

  it('are not remembered while just written, nor when malformed or small', async () => {
    await fs.writeFile(configPath(), MANY);
    await readAwsFiles(env, 'linux');
    expect(existsSync(record())).toBe(false);
    await writeSettled(configPath(), `${MANY}[profile a]\nregion = eu-west-1\nregion = again\n`);
    await expect(readAwsFiles(env, 'linux')).rejects.toThrow(/duplicate key "region"/);
    expect(existsSync(record())).toBe(false);
    await writeSettled(configPath(), '[profile a]\nregion = eu-west-1\n');
    await readAwsFiles(env, 'linux');
    expect(existsSync(record())).toBe(false);
  });

  it('are read whole again when a header is indented', async () => {
    await writeSettled(configPath(), `${MANY}[profile a]\n  [profile b]\nregion = eu-west-2\n`);
    expect((await readAwsFiles(env, 'linux')).configFile.sections.get('profile b')?.get('region')).toBe('eu-west-2');
    expect(existsSync(record())).toBe(false);
  });
});
