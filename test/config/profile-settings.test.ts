import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IniFile } from '../../src/config/aws-files.js';
import { parseIni } from '../../src/config/ini-file.js';
import { longTermProfiles } from '../../src/config/profile-names.js';
import { listProfileNames, loadProfileSettings, profileOfConfigSection, selectProfileName } from '../../src/config/profile-settings.js';
import { pythonShlexSplit } from '../../src/config/python-shlex.js';

let home: string;

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'aws-mfa-settings-'));
  await fs.mkdir(path.join(home, '.aws'));
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

async function load(files: { credentials?: string; config?: string }, env: Record<string, string> = {}, profile = 'prod', flags = {}) {
  if (files.credentials !== undefined) await fs.writeFile(path.join(home, '.aws', 'credentials'), files.credentials);
  if (files.config !== undefined) await fs.writeFile(path.join(home, '.aws', 'config'), files.config);
  return loadProfileSettings(profile, flags, { HOME: home, ...env });
}

const KEYS = '[prod-long-term]\naws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = s\n';

describe('selectProfileName', () => {
  it('takes the flag, then AWS_PROFILE, then default', () => {
    expect(selectProfileName('a', { AWS_PROFILE: 'b' })).toBe('a');
    expect(selectProfileName(undefined, { AWS_PROFILE: 'b' })).toBe('b');
    expect(selectProfileName(undefined, { AWS_PROFILE: '' })).toBe('default');
    expect(selectProfileName(undefined, {})).toBe('default');
  });
});

describe('loadProfileSettings', () => {
  it('reads keys from [NAME-long-term] and the serial from mfa_serial', async () => {
    const settings = await load({ credentials: KEYS, config: '[profile prod]\nmfa_serial = arn:aws:iam::123456789012:mfa/a\n' });
    expect(settings.fileKeys).toEqual({ accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 's' });
    expect(settings.mfaSerial).toBe('arn:aws:iam::123456789012:mfa/a');
    expect(settings.durationSeconds).toBe(8 * 3600);
    expect(settings.refreshMarginSeconds).toBe(15 * 60);
  });

  it('takes the prompt from --prompt, then aws_mfa_prompt, else auto', async () => {
    const config = '[profile prod]\naws_mfa_prompt = dialog\n';
    expect((await load({ credentials: KEYS, config: '' })).mfaPrompt).toBe('auto');
    expect((await load({ credentials: KEYS, config })).mfaPrompt).toBe('dialog');
    expect((await load({ credentials: KEYS, config }, {}, 'prod', { prompt: 'terminal' })).mfaPrompt).toBe('terminal');
  });

  it('refuses an unknown prompt name, saying where it came from', async () => {
    const config = '[profile prod]\naws_mfa_prompt = Dialog\n';
    await expect(load({ credentials: KEYS, config })).rejects.toThrow(
      `bad prompt from ${path.join(home, '.aws', 'config')}: "Dialog" is not one of auto, terminal, dialog`,
    );
    await expect(load({ credentials: KEYS, config: '' }, {}, 'prod', { prompt: '' })).rejects.toThrow(
      'bad prompt from --prompt: "" is not one of auto, terminal, dialog',
    );
  });

  it('honours aws_mfa_long_term_suffix', async () => {
    const settings = await load({
      credentials: '[prod.keys]\naws_access_key_id = AKIAEXAMPLE000000002\naws_secret_access_key = s\n',
      config: '[profile prod]\naws_mfa_long_term_suffix = .keys\n',
    });
    expect(settings.longTermSectionName).toBe('prod.keys');
    expect(settings.fileKeys?.accessKeyId).toBe('AKIAEXAMPLE000000002');
  });

  it('takes the serial from --mfa-serial, then mfa_serial, then aws_mfa_device', async () => {
    const credentials = `${KEYS}aws_mfa_device = GAHT12345678\n`;
    expect((await load({ credentials, config: '' })).mfaSerial).toBe('GAHT12345678');
    const config = '[profile prod]\nmfa_serial = arn:aws-us-gov:iam::123456789012:mfa/b\n';
    expect((await load({ credentials, config })).mfaSerial).toBe('arn:aws-us-gov:iam::123456789012:mfa/b');
    expect((await load({ credentials, config }, {}, 'prod', { mfaSerial: 'arn:aws-cn:iam::123456789012:mfa/c' })).mfaSerial).toBe(
      'arn:aws-cn:iam::123456789012:mfa/c',
    );
  });

  it('reads [default] for the default profile, and [profile default] when present', async () => {
    const credentials = '[default-long-term]\naws_access_key_id = AKIAEXAMPLE000000003\naws_secret_access_key = s\n';
    expect((await load({ credentials, config: '[default]\nregion = eu-west-1\n' }, {}, 'default')).region).toBe('eu-west-1');
    const both = '[default]\nregion = eu-west-1\n[profile default]\nregion = eu-north-1\n';
    expect((await load({ credentials, config: both }, {}, 'default')).configSectionName).toBe('profile default');
  });

  it('resolves the region as the AWS tools do', async () => {
    const config = '[profile prod]\nregion = eu-west-1\n';
    expect((await load({ credentials: KEYS, config })).region).toBe('eu-west-1');
    expect((await load({ credentials: KEYS, config }, { AWS_DEFAULT_REGION: 'us-west-2' })).region).toBe('us-west-2');
    expect((await load({ credentials: KEYS, config }, { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'us-west-2' })).region).toBe(
      'ap-south-1',
    );
  });

  it('resolves the STS endpoint: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, endpoint_url, unless ignored', async () => {
    const config = '[profile prod]\nendpoint_url = http://config.example\n';
    expect((await load({ credentials: KEYS, config })).sts.endpoint).toBe('http://config.example');
    expect((await load({ credentials: KEYS, config }, { AWS_ENDPOINT_URL: 'http://global.example' })).sts.endpoint).toBe(
      'http://global.example',
    );
    const both = { AWS_ENDPOINT_URL: 'http://global.example', AWS_ENDPOINT_URL_STS: 'http://sts.example' };
    expect((await load({ credentials: KEYS, config }, both)).sts.endpoint).toBe('http://sts.example');
    expect(
      (await load({ credentials: KEYS, config }, { ...both, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).sts.endpoint,
    ).toBeUndefined();
    const ignoring = `${config}ignore_configured_endpoint_urls = true\n`;
    expect((await load({ credentials: KEYS, config: ignoring })).sts.endpoint).toBeUndefined();
  });

  it('takes the CA bundle from AWS_CA_BUNDLE, then ca_bundle', async () => {
    const config = '[profile prod]\nca_bundle = /etc/config.pem\n';
    expect((await load({ credentials: KEYS, config })).sts.caBundle).toBe('/etc/config.pem');
    expect((await load({ credentials: KEYS, config }, { AWS_CA_BUNDLE: '/etc/env.pem' })).sts.caBundle).toBe('/etc/env.pem');
  });

  it('reads the duration and the refresh margin from the config profile', async () => {
    const config = '[profile prod]\naws_mfa_duration = 1h30m\naws_mfa_refresh_margin = 20m\n';
    const settings = await load({ credentials: KEYS, config });
    expect(settings.durationSeconds).toBe(5400);
    expect(settings.refreshMarginSeconds).toBe(1200);
    expect((await load({ credentials: KEYS, config }, {}, 'prod', { duration: '2h' })).durationSeconds).toBe(7200);
  });

  it('honours AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE', async () => {
    await fs.writeFile(path.join(home, 'creds'), KEYS);
    await fs.writeFile(path.join(home, 'conf'), '[profile prod]\nregion = eu-west-3\n');
    const settings = await load({}, { AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'creds'), AWS_CONFIG_FILE: '~/conf' });
    expect(settings.credentialsFile.path).toBe(path.join(home, 'creds'));
    expect(settings.region).toBe('eu-west-3');
  });

  it('says whether the files name the profile at all', async () => {
    expect((await load({ credentials: KEYS, config: '' }, {}, 'nope')).namedInFiles).toBe(false);
    expect((await load({ credentials: KEYS, config: '' })).namedInFiles).toBe(true);
    expect((await load({ credentials: '', config: '[profile prod]\nregion = eu-west-1\n' })).namedInFiles).toBe(true);
    expect((await load({ credentials: '[prod]\naws_access_key_id = ASIAX\n', config: '' })).namedInFiles).toBe(true);
  });
});

describe('the IAM target', () => {
  it('takes AWS_ENDPOINT_URL_IAM before AWS_ENDPOINT_URL, and not the STS one', async () => {
    const env = { AWS_ENDPOINT_URL: 'http://global.example', AWS_ENDPOINT_URL_STS: 'http://sts.example' };
    expect((await load({ credentials: KEYS, config: '' }, env)).iam.endpoint).toBe('http://global.example');
    expect((await load({ credentials: KEYS, config: '' }, { ...env, AWS_ENDPOINT_URL_IAM: 'http://iam.example' })).iam.endpoint).toBe(
      'http://iam.example',
    );
  });
});

describe('the Organizations target', () => {
  it('takes AWS_ENDPOINT_URL_ORGANIZATIONS before AWS_ENDPOINT_URL, and neither the STS nor the IAM one', async () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://global.example',
      AWS_ENDPOINT_URL_STS: 'http://sts.example',
      AWS_ENDPOINT_URL_IAM: 'http://iam.example',
    };
    expect((await load({ credentials: KEYS, config: '' }, env)).organizations.endpoint).toBe('http://global.example');
    const overridden = await load({ credentials: KEYS, config: '' }, { ...env, AWS_ENDPOINT_URL_ORGANIZATIONS: 'http://org.example' });
    expect(overridden.organizations.endpoint).toBe('http://org.example');
  });
});

describe('long-term suffixes', () => {
  const file = (name: string, text: string): IniFile => ({ path: name, text, sections: parseIni(text, name) });
  const credentials = file('credentials', '[a-long-term]\n[b-keys]\n[c-vault]\n[d-long-term]\n');

  it.each([
    ['in lowercase', '[profile b]\naws_mfa_long_term_suffix = -keys\n[profile c]\nAWS_MFA_Long_Term_Suffix = -vault\n'],
    [
      'from DEFAULT, overridden by a profile',
      '[DEFAULT]\nAWS_MFA_LONG_TERM_SUFFIX = -keys\n[profile b]\n[profile c]\naws_mfa_long_term_suffix = -vault\n',
    ],
  ])('come from the config file, however the key is spelled (%s)', (_case, config) => {
    const configFile = file('config', config);
    expect(listProfileNames({ credentialsFile: credentials, configFile })).toEqual(['a', 'b', 'c', 'd']);
    expect(longTermProfiles(credentials, configFile).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('are none where no section sets the key, whether the file spells it elsewhere or not: such sections stay profiles of their own', () => {
    const configFile = file('config', '[profile b]\nregion = eu-west-1\n[profile c]\nnote = aws_mfa_long_term_suffix_x\n');
    expect(listProfileNames({ credentialsFile: credentials, configFile })).toEqual(['a', 'b', 'b-keys', 'c', 'c-vault', 'd']);
    expect(longTermProfiles(credentials, configFile).sort()).toEqual(['a', 'd']);
  });
});

describe('profileOfConfigSection', () => {
  it.each([
    ['default', 'default'],
    ['profile prod', 'prod'],
    ['profile   prod', 'prod'],
    ['profile "my prof"', 'my prof'],
    ["profile 'my prof'", 'my prof'],
    ['profile "a\\"b"', 'a"b'],
    ['profile a.b', 'a.b'],
    ['profile', undefined],
    ["profile $'p'", '$p'],
    ['profile a b', undefined],
    ['profile "open', undefined],
    ['profilex', undefined],
    ['sso-session corp', undefined],
  ])('reads [%s] as botocore does: %j', (section, profile) => {
    expect(profileOfConfigSection(section)).toBe(profile);
  });

  it('agrees with Python shlex on every case above', () => {
    const sections = [
      'profile prod',
      'profile   prod',
      'profile "my prof"',
      "profile 'my prof'",
      'profile "a\\"b"',
      'profile a b',
      'profile "open',
    ];
    const script = `import json, shlex, sys
out = []
for s in json.load(sys.stdin):
    try:
        words = shlex.split(s)
        out.append(words[1] if len(words) == 2 and words[0] == "profile" else None)
    except ValueError:
        out.append(None)
print(json.dumps(out))`;
    const python = execFileSync('python3', ['-c', script], { input: JSON.stringify(sections), encoding: 'utf8' });
    expect(JSON.parse(python)).toEqual(sections.map((section) => profileOfConfigSection(section) ?? null));
  });
});

describe('pythonShlexSplit', () => {
  it("splits 2,000 random strings exactly as Python's shlex.split, $ a plain character", () => {
    const alphabet = ['a', 'b', ' ', '  ', '\t', '\r', '\n', '\v', '\u00a0', "'", '"', '\\', '$', "$'", '$"', '#', ';', 'é', '東', '🚀'];
    let state = 7;
    const next = (below: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % below;
    };
    const texts = Array.from({ length: 2000 }, () => Array.from({ length: next(12) }, () => alphabet[next(alphabet.length)]).join(''));
    texts.push("profile $'p'", 'profile $"p"', "profile 'a\\b'", 'profile "a\\b"', 'profile "a\\"', 'x\\');
    const script = `import json, shlex, sys
out = []
for s in json.load(sys.stdin):
    try:
        out.append(shlex.split(s))
    except ValueError:
        out.append(None)
print(json.dumps(out))`;
    const python = execFileSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' });
    expect(texts.map((text) => pythonShlexSplit(text) ?? null)).toEqual(JSON.parse(python));
  });
});
