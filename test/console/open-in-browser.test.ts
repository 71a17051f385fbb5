import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { browserCommand, runBrowser, writeSigninPage } from '../../src/console/open-in-browser.js';
import { AwsMfaError } from '../../src/core/errors.js';
import { PrivateFiles } from '../../src/store/private-files.js';

const folders: string[] = [];
function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'aws-mfa-browser-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('browserCommand', () => {
  it.each([
    [{}, 'linux', { program: 'xdg-open', args: ['file:///p.html'] }],
    [{}, 'darwin', { program: 'open', args: ['file:///p.html'] }],
    [{}, 'win32', { program: 'rundll32', args: ['url.dll,FileProtocolHandler', 'file:///p.html'] }],
    [{ BROWSER: 'firefox' }, 'linux', { program: 'firefox', args: ['file:///p.html'] }],
    [{ BROWSER: "'my browser' --new-window" }, 'linux', { program: 'my browser', args: ['--new-window', 'file:///p.html'] }],
    [{ BROWSER: 'chromium --app=%s:firefox' }, 'linux', { program: 'chromium', args: ['--app=file:///p.html'] }],
  ] as const)('%j on %s', async (env, platform, command) => {
    expect(await browserCommand('file:///p.html', env, platform)).toEqual(command);
  });

  it('a BROWSER with unbalanced quotes is bad usage', async () => {
    await expect(browserCommand('file:///p.html', { BROWSER: "'firefox" }, 'linux')).rejects.toThrow(/bad BROWSER/);
  });
});

describe('writeSigninPage', () => {
  it('writes a private page in a private folder that forwards to the URL, escaped', async () => {
    const root = tempFolder();
    const folder = join(root, 'signin');
    const url = 'https://signin.aws.amazon.com/federation?Action=login&SigninToken=a"b<c>';

    const page = fileURLToPath(await writeSigninPage(new PrivateFiles(root), folder, url, new Date()));

    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(page).mode & 0o777).toBe(0o600);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('content="0;url=https://signin.aws.amazon.com/federation?Action=login&amp;SigninToken=a&quot;b&lt;c&gt;"');
    expect(html).not.toContain('a"b<c>');
  });

  it('removes pages whose token has expired, and only those', async () => {
    const folder = tempFolder();
    const now = new Date();
    const old = join(folder, 'signin-0123abcd.html');
    const recent = join(folder, 'signin-4567abcd.html');
    const other = join(folder, 'notes.html');
    for (const file of [old, recent, other]) writeFileSync(file, 'x');
    const sixteenMinutesAgo = new Date(now.getTime() - 16 * 60 * 1000);
    utimesSync(old, sixteenMinutesAgo, sixteenMinutesAgo);
    utimesSync(other, sixteenMinutesAgo, sixteenMinutesAgo);

    const page = fileURLToPath(await writeSigninPage(new PrivateFiles(folder), folder, 'https://example.com/', now));

    expect(readdirSync(folder).sort()).toEqual(['notes.html', 'signin-4567abcd.html', page.split('/').pop()].sort());
  });
});

describe('runBrowser', () => {
  it('runs the command with the page', async () => {
    const folder = tempFolder();
    const record = join(folder, 'opened');
    const script = join(folder, 'browser');
    writeFileSync(script, `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`);
    chmodSync(script, 0o755);

    await runBrowser({ program: script, args: ['file:///page.html'] });

    expect(readFileSync(record, 'utf8')).toBe('file:///page.html');
  });

  it('a missing opener is one line with the way out', async () => {
    const error = await runBrowser({ program: 'no-such-browser-aws-mfa', args: ['x'] }).catch((caught: unknown) => caught);

    expect((error as AwsMfaError).toLine()).toBe(
      'aws-mfa: cannot open the browser: no-such-browser-aws-mfa is not installed (set BROWSER, or print the URL with --url)',
    );
  });

  it('an opener that fails says so', async () => {
    const error = await runBrowser({ program: 'sh', args: ['-c', 'exit 4', 'x'] }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AwsMfaError);
    expect((error as AwsMfaError).why).toBe('sh exited with status 4');
  });
});
