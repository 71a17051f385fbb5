import { describe, expect, it } from 'vitest';
import { dialogCommands, POWERSHELL_TEXT_VARIABLE, POWERSHELL_TITLE_VARIABLE } from '../../src/prompt/dialog-commands.js';

/**
 * The command lines of the dialogs. osascript and PowerShell were not run here (Linux only): these
 * tests pin what they would run. zenity is run for real in test/e2e/dialog-prompt.test.ts.
 */
const dialog = { title: 'aws-mfa', text: 'MFA code for prod (arn:aws:iam::123456789012:mfa/alice):' };
/** A profile name that would break out of naive quoting in AppleScript, PowerShell or Pango markup. */
const hostile = { title: 'aws-mfa', text: `MFA code for a"b'c<i>&$(x)\` ("); do shell script "x):` };

describe('dialogCommands on Linux and the BSDs', () => {
  it('offers zenity, then kdialog, when DISPLAY or WAYLAND_DISPLAY is set', () => {
    for (const env of [{ DISPLAY: ':0' }, { WAYLAND_DISPLAY: 'wayland-0' }]) {
      const commands = dialogCommands('linux', env, dialog);
      expect(commands.map(({ program, args }) => [program, ...args])).toEqual([
        ['zenity', '--entry', '--hide-text', '--title', 'aws-mfa', '--text', dialog.text],
        ['kdialog', '--title', 'aws-mfa', '--password', dialog.text],
      ]);
      expect(commands.every((command) => command.env === undefined)).toBe(true);
    }
    expect(dialogCommands('freebsd', { DISPLAY: ':0' }, dialog).map((command) => command.program)).toEqual(['zenity', 'kdialog']);
  });

  it('offers none without a display', () => {
    expect(dialogCommands('linux', {}, dialog)).toEqual([]);
    expect(dialogCommands('linux', { DISPLAY: '', WAYLAND_DISPLAY: '' }, dialog)).toEqual([]);
  });

  it("escapes Pango markup in zenity's text; kdialog gets it as is", () => {
    const [zenity, kdialog] = dialogCommands('linux', { DISPLAY: ':0' }, hostile);
    expect(zenity?.args.at(-1)).toBe(`MFA code for a"b'c&lt;i&gt;&amp;$(x)\` ("); do shell script "x):`);
    expect(kdialog?.args.at(-1)).toBe(hostile.text);
  });

  it('reads exit 1 as Cancel, anything else as a failure', () => {
    for (const command of dialogCommands('linux', { DISPLAY: ':0' }, dialog)) {
      expect(command.isCancel(1, '')).toBe(true);
      expect(command.isCancel(255, '')).toBe(false);
      expect(command.isCancel(null, '')).toBe(false);
    }
  });
});

describe('dialogCommands on macOS (osascript; not run here)', () => {
  it('runs a fixed AppleScript with a hidden answer; title and text are its arguments', () => {
    const [osascript, ...others] = dialogCommands('darwin', {}, hostile);
    expect(others).toEqual([]);
    expect(osascript?.program).toBe('osascript');
    expect(osascript?.args).toEqual([
      '-e',
      'on run argv',
      '-e',
      'display dialog (item 2 of argv) with title (item 1 of argv) default answer "" with hidden answer buttons {"Cancel", "OK"} default button "OK" cancel button "Cancel"',
      '-e',
      'return text returned of result',
      '-e',
      'end run',
      'aws-mfa',
      hostile.text,
    ]);
    // The same script whatever the text: nothing of the profile is ever AppleScript source.
    expect(dialogCommands('darwin', {}, dialog)[0]?.args.slice(0, 8)).toEqual(osascript?.args.slice(0, 8));
  });

  it('reads only error -128 as Cancel', () => {
    const [osascript] = dialogCommands('darwin', {}, dialog);
    expect(osascript?.isCancel(1, '0:110: execution error: User canceled. (-128)\n')).toBe(true);
    expect(osascript?.isCancel(1, '0:110: execution error: No user interaction allowed. (-1713)\n')).toBe(false);
  });
});

describe('dialogCommands on Windows (PowerShell; not run here)', () => {
  it('runs a fixed encoded script; title and text travel in the environment', () => {
    const [powershell, ...others] = dialogCommands('win32', {}, hostile);
    expect(others).toEqual([]);
    expect(powershell?.program).toBe('powershell.exe');
    expect(powershell?.args.slice(0, -1)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    expect(powershell?.env).toEqual({ [POWERSHELL_TITLE_VARIABLE]: 'aws-mfa', [POWERSHELL_TEXT_VARIABLE]: hostile.text });
    expect(dialogCommands('win32', {}, dialog)[0]?.args).toEqual(powershell?.args);

    const script = Buffer.from(powershell?.args.at(-1) ?? '', 'base64').toString('utf16le');
    expect(script).toContain(`$form.Text = $env:${POWERSHELL_TITLE_VARIABLE}`);
    expect(script).toContain(`$label.Text = $env:${POWERSHELL_TEXT_VARIABLE}`);
    expect(script).toContain('$box.UseSystemPasswordChar = $true');
    expect(script).toContain('[Console]::Out.Write($box.Text)');
    expect(script).toContain('if ($form.ShowDialog() -ne [System.Windows.Forms.DialogResult]::OK) { exit 1 }');
  });

  it('reads exit 1 as Cancel', () => {
    const [powershell] = dialogCommands('win32', {}, dialog);
    expect(powershell?.isCancel(1, '')).toBe(true);
    expect(powershell?.isCancel(2, '')).toBe(false);
  });
});
