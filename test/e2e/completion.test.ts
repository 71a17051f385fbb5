/**
 * `aws-mfa completion SHELL` in real shells: bash driven as `complete -F` drives it (COMP_WORDS,
 * COMP_CWORD), fish through `complete -C`, zsh parsed and driven with its completion builtins
 * stubbed; profile names come from a throwaway HOME's files and a private keyring's item names.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearKeychain } from './harness/keychain-tools.js';
import { useKeyring } from './harness/keyring.js';
import { bundleSources, repoRoot } from './harness/paths.js';
import { runProcess } from './harness/process.js';
import { Sandbox } from './harness/sandbox.js';

const keyring = useKeyring();
let box: Sandbox;

beforeEach(async () => {
  await clearKeychain(keyring());
  await keyring().store('from-keychain', '{"version":1}');
  box = new Sandbox();
  box.writeConfig('[default]\nregion = eu-west-1\n[profile prod]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[profile "my team"]\n');
  box.writeCredentials('[dev-long-term]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n');
});

afterEach(() => box.remove());

const profiles = ['default', 'dev', 'from-keychain', 'my team', 'prod'];

async function shell(command: string, args: string[]): Promise<string> {
  const result = await runProcess(command, args, { env: box.env(keyring().env), cwd: box.home });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

/** The words bash would offer for the words typed so far (the last one being completed). */
async function bashOffers(...typed: string[]): Promise<string[]> {
  const words = typed.map((word) => `'${word}'`).join(' ');
  const script = `source <(aws-mfa completion bash)
COMP_WORDS=(aws-mfa ${words}); COMP_CWORD=${typed.length}
_aws_mfa aws-mfa "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"
complete -p aws-mfa`;
  const lines = (await shell('bash', ['-c', script])).split('\n').filter((line) => line !== '');
  expect(lines.pop()).toBe('complete -o default -F _aws_mfa aws-mfa');
  return lines;
}

async function fishOffers(commandLine: string): Promise<string[]> {
  const output = await shell('fish', ['--no-config', '-c', `aws-mfa completion fish | source; complete -C ${JSON.stringify(commandLine)}`]);
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t')[0] ?? '');
}

/** zsh's completion builtins need a terminal: here they are stubbed to print what they are given. */
async function zshOffers(...typed: string[]): Promise<string[]> {
  const words = typed.map((word) => `'${word}'`).join(' ');
  const script = `compdef() { print -r -- "compdef $*" }
source <(aws-mfa completion zsh)
compadd() { if [[ $1 == -a ]]; then print -rl -- \${(P)2}; else shift; print -rl -- "$@"; fi }
_describe() { local -a offered; offered=(\${(P)4}); print -rl -- \${offered%%:*} }
_files() { print -r -- '<files>' }
words=(aws-mfa ${words}); CURRENT=${typed.length + 1}
_aws_mfa`;
  const lines = (await shell('zsh', ['-f', '-c', script])).split('\n').filter((line) => line !== '');
  expect(lines.shift()).toBe('compdef _aws_mfa aws-mfa');
  // zsh filters by the prefix itself; the stubs show what was offered.
  const prefix = typed.at(-1) ?? '';
  return lines.filter((line) => line.startsWith(prefix));
}

describe('bash', () => {
  it('completes a command name: lo -> login', async () => {
    expect(await bashOffers('lo')).toEqual(['login']);
  });

  it('completes -p and a NAME operand with the profiles of the files and the keychain', async () => {
    expect(await bashOffers('-p', '')).toEqual(profiles);
    expect(await bashOffers('login', '--profile', 'd')).toEqual(['default', 'dev']);
    expect(await bashOffers('-p', 'prod', 'remove', '')).toEqual(profiles);
  });

  it("completes a command's options and the fixed values of --shell and --format", async () => {
    expect(await bashOffers('env', '--sh')).toEqual(['--shell']);
    expect(await bashOffers('env', '--shell', '')).toEqual(['sh', 'fish', 'powershell']);
    expect(await bashOffers('audit', '--format', 'j')).toEqual(['json']);
    expect(await bashOffers('credential-process', '--prompt', '')).toEqual(['auto', 'terminal', 'dialog']);
    expect(await bashOffers('completion', '')).toEqual(['bash', 'zsh', 'fish', 'powershell']);
    expect(await bashOffers('doctor', '--')).toEqual(expect.arrayContaining(['--online', '--json', '--profile']));
  });

  it('offers nothing of its own for a free value (bash then completes file names) and never the hidden sub-call', async () => {
    expect(await bashOffers('audit', '--report', '')).toEqual([]);
    expect(await bashOffers('_')).toEqual([]);
  });
});

describe('fish', () => {
  it('completes commands, profiles after -p, options and values', async () => {
    expect(await fishOffers('aws-mfa lo')).toEqual(['login']);
    expect(await fishOffers('aws-mfa -p ')).toEqual(profiles);
    expect(await fishOffers('aws-mfa -p prod add ')).toEqual(profiles);
    expect(await fishOffers('aws-mfa env --shell ')).toEqual(['fish', 'powershell', 'sh']);
    expect(await fishOffers('aws-mfa env --sh')).toEqual(['--shell']);
    expect(await fishOffers('aws-mfa completion ')).toEqual(['bash', 'fish', 'powershell', 'zsh']);
  });
});

describe('zsh', () => {
  it('parses', async () => {
    const script = await shell('aws-mfa', ['completion', 'zsh']);
    box.writeFile('_aws-mfa', script);
    await shell('zsh', ['-n', `${box.home}/_aws-mfa`]);
  });

  it('autoloaded from a file _aws-mfa on $fpath, completes on first use', async () => {
    box.writeFile('zsh-functions/_aws-mfa', await shell('aws-mfa', ['completion', 'zsh']));
    const script = `fpath=(${box.home}/zsh-functions $fpath); autoload -U _aws-mfa
compdef() { print -r -- "compdef $*" }
compadd() { shift; print -rl -- "$@" }
words=(aws-mfa completion ''); CURRENT=3
_aws-mfa`;
    expect(await shell('zsh', ['-f', '-c', script])).toBe('bash\nzsh\nfish\npowershell\n');
  });

  it('completes commands, profiles after -p, options and values', async () => {
    expect(await zshOffers('lo')).toEqual(['login']);
    expect(await zshOffers('-p', '')).toEqual(profiles);
    expect(await zshOffers('env', '--shell', '')).toEqual(['sh', 'fish', 'powershell']);
    expect(await zshOffers('env', '--sh')).toEqual(['--shell']);
    expect(await zshOffers('audit', '--report', '')).toEqual(['<files>']);
  });
});

describe('__complete profiles', () => {
  it('lists the profiles, one a line, and still the files when the keychain cannot be reached', async () => {
    const withKeychain = await runProcess('aws-mfa', ['__complete', 'profiles'], { env: box.env(keyring().env), cwd: box.home });
    expect(withKeychain.stdout).toBe(profiles.map((name) => `${name}\n`).join(''));
    const noBus = box.env({ DBUS_SESSION_BUS_ADDRESS: undefined, XDG_RUNTIME_DIR: undefined, DISPLAY: undefined });
    const withoutKeychain = await runProcess('aws-mfa', ['__complete', 'profiles'], { env: noBus, cwd: box.home });
    expect(withoutKeychain).toMatchObject({ code: 0, stderr: '', stdout: 'default\ndev\nmy team\nprod\n' });
  });

  it('prints nothing and fails nothing for a malformed file: Tab must stay quiet', async () => {
    box.writeConfig('[profile prod]\nregion = a\nregion = b\n');
    const result = await runProcess('aws-mfa', ['__complete', 'profiles'], { env: box.env(keyring().env), cwd: box.home });
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: 'dev\nfrom-keychain\n' });
  });

  it('loads no AWS SDK, keytar or prompt package: a Tab press costs little more than starting Node', async () => {
    const modulesLog = join(box.home, 'modules.log');
    const hook = join(repoRoot, 'test', 'e2e', 'harness', 'record-modules.cjs');
    const env = box.env({ ...keyring().env, NODE_OPTIONS: `--require=${hook}`, RECORD_MODULES_TO: modulesLog });
    const result = await runProcess('aws-mfa', ['__complete', 'profiles'], { env, cwd: box.home });
    expect(result.stdout).toContain('from-keychain\n');
    const sourcesByFile = JSON.parse(readFileSync(bundleSources, 'utf8')) as Record<string, string[]>;
    const loaded = readFileSync(modulesLog, 'utf8')
      .split('\n')
      .filter((file) => file !== '')
      .flatMap((file) => sourcesByFile[relative(repoRoot, file)] ?? [relative(repoRoot, file)]);
    expect(loaded).toContain('src/commands/complete.ts');
    const unwanted = ['@aws-sdk/', '@smithy/', '@inquirer/', 'proxy-agent', 'otplib', 'keytar'];
    expect(loaded.filter((source) => unwanted.some((name) => source.includes(`node_modules/${name}`)))).toEqual([]);
  });
});
