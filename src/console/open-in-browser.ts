import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pythonShlexSplit } from '../config/python-shlex.js';
import { AwsMfaError, UsageError } from '../core/errors.js';
import type { Env } from '../core/io.js';
import type { PrivateFiles } from '../store/private-files.js';

/** A sign-in token is valid for 15 minutes: an older page can no longer sign anyone in. */
const PAGE_LIFETIME_MS = 15 * 60 * 1000;
/** An opener that has not failed by then (a browser started by $BROWSER) is left to run. */
const OPENER_GRACE_MS = 3_000;

export interface BrowserCommand {
  readonly program: string;
  readonly args: readonly string[];
}

/**
 * What opens a URL: `$BROWSER` (its first entry, `%s` replaced by the URL or the URL appended, as
 * Python's webbrowser reads it), else the platform's opener.
 */
export async function browserCommand(target: string, env: Env, platform: NodeJS.Platform): Promise<BrowserCommand> {
  const browser = env.BROWSER?.split(platform === 'win32' ? ';' : ':')[0]?.trim();
  if (browser) {
    // Python's webbrowser splits BROWSER with shlex.
    const words = pythonShlexSplit(browser);
    if (words === undefined) throw new UsageError('bad BROWSER', 'it is not a command line (unbalanced quotes)');
    const [program, ...rest] = words;
    if (program === undefined) throw new UsageError('bad BROWSER', 'it names no program');
    const args = rest.some((word) => word.includes('%s')) ? rest.map((word) => word.replaceAll('%s', target)) : [...rest, target];
    return { program, args };
  }
  if (platform === 'darwin') return { program: 'open', args: [target] };
  // rundll32's URL handler opens a file or URL in the default browser without cmd.exe's quoting rules.
  if (platform === 'win32') return { program: 'rundll32', args: ['url.dll,FileProtocolHandler', target] };
  return { program: 'xdg-open', args: [target] };
}

/**
 * The sign-in URL holds a token, and other users can read a process's command line: the browser is
 * given a private page (0600, in a 0700 folder of the user's cache) that forwards to the URL, not the URL.
 */
export async function writeSigninPage(cache: PrivateFiles, folder: string, signinUrl: string, now: Date): Promise<string> {
  cache.ensureFolder(folder);
  await removeExpiredPages(folder, now);
  const page = path.join(folder, `signin-${randomBytes(16).toString('hex')}.html`);
  const href = escapeHtml(signinUrl);
  const contents = [
    '<!doctype html>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    '<title>AWS console sign-in (aws-mfa)</title>',
    `<meta http-equiv="refresh" content="0;url=${href}">`,
    `<p><a href="${href}">Sign in to the AWS console</a></p>`,
    '',
  ].join('\n');
  await cache.write(page, contents);
  return pathToFileURL(page).href;
}

export async function runBrowser(command: BrowserCommand): Promise<void> {
  const { spawn } = await import('node:child_process');
  const child = spawn(command.program, [...command.args], { stdio: 'ignore', detached: true });
  const outcome = await new Promise<{ error?: NodeJS.ErrnoException; exitCode?: number | null }>((resolve) => {
    const timer = setTimeout(() => resolve({}), OPENER_GRACE_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ error });
    });
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode });
    });
  });
  child.unref();
  const hint = 'set BROWSER, or print the URL with --url';
  if (outcome.error) {
    const why = outcome.error.code === 'ENOENT' ? `${command.program} is not installed` : `${command.program}: ${outcome.error.code}`;
    throw new AwsMfaError('cannot open the browser', why, { hint });
  }
  if (outcome.exitCode !== undefined && outcome.exitCode !== 0) {
    throw new AwsMfaError('cannot open the browser', `${command.program} exited with status ${outcome.exitCode}`, { hint });
  }
}

async function removeExpiredPages(folder: string, now: Date): Promise<void> {
  for (const name of await fs.readdir(folder)) {
    if (!/^signin-[0-9a-f]+\.html$/.test(name)) continue;
    const page = path.join(folder, name);
    const stats = await fs.lstat(page).catch(() => undefined);
    if (stats && now.getTime() - stats.mtimeMs > PAGE_LIFETIME_MS) await fs.unlink(page).catch(() => {});
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
