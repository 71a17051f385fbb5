import type { Env } from '../core/io.js';

/** What a dialog shows; never the answer, which the dialog prints on its stdout. */
export interface DialogText {
  readonly title: string;
  readonly text: string;
}

/** One dialog program's command line: the answer is read from its stdout, never passed to it. */
export interface DialogCommand {
  readonly program: string;
  readonly args: readonly string[];
  /** Added to the environment (PowerShell reads the title and text there: see powershellCommand). */
  readonly env?: Readonly<Record<string, string>>;
  /** Whether a failed run was the user cancelling (as opposed to the program failing). */
  isCancel(exitCode: number | null, stderr: string): boolean;
}

/** The dialogs that can ask here, best first; none on Linux and the BSDs without a display. */
export function dialogCommands(platform: NodeJS.Platform, env: Env, dialog: DialogText): DialogCommand[] {
  if (platform === 'darwin') return [osascriptCommand(dialog)];
  if (platform === 'win32') return [powershellCommand(dialog)];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return [];
  return [zenityCommand(dialog), kdialogCommand(dialog)];
}

/** zenity exits 1 on Cancel, Escape or the window closed; its --text is Pango markup. */
export function zenityCommand(dialog: DialogText): DialogCommand {
  return {
    program: 'zenity',
    args: ['--entry', '--hide-text', '--title', dialog.title, '--text', escapeMarkup(dialog.text)],
    isCancel: (exitCode) => exitCode === 1,
  };
}

/** kdialog exits 1 on Cancel, Escape or the window closed. */
export function kdialogCommand(dialog: DialogText): DialogCommand {
  return {
    program: 'kdialog',
    args: ['--title', dialog.title, '--password', dialog.text],
    isCancel: (exitCode) => exitCode === 1,
  };
}

/**
 * The title and text are arguments of the script (argv), never spliced into its source. Cancel
 * is AppleScript error -128, which osascript reports on stderr with exit 1 like any other error.
 */
const OSASCRIPT_LINES = [
  'on run argv',
  'display dialog (item 2 of argv) with title (item 1 of argv) default answer "" with hidden answer buttons {"Cancel", "OK"} default button "OK" cancel button "Cancel"',
  'return text returned of result',
  'end run',
];

export function osascriptCommand(dialog: DialogText): DialogCommand {
  return {
    program: 'osascript',
    args: [...OSASCRIPT_LINES.flatMap((line) => ['-e', line]), dialog.title, dialog.text],
    isCancel: (exitCode, stderr) => exitCode === 1 && stderr.includes('(-128)'),
  };
}

export const POWERSHELL_TITLE_VARIABLE = 'AWS_MFA_DIALOG_TITLE';
export const POWERSHELL_TEXT_VARIABLE = 'AWS_MFA_DIALOG_TEXT';

/** A Windows Forms dialog with a masked text box; exit 1 when it is cancelled or closed. */
const POWERSHELL_SCRIPT = `
Add-Type -AssemblyName System.Windows.Forms
$form = New-Object System.Windows.Forms.Form
$form.Text = $env:${POWERSHELL_TITLE_VARIABLE}
$form.FormBorderStyle = 'FixedDialog'
$form.StartPosition = 'CenterScreen'
$form.TopMost = $true
$form.MinimizeBox = $false
$form.MaximizeBox = $false
$form.ClientSize = New-Object System.Drawing.Size(360, 110)
$label = New-Object System.Windows.Forms.Label
$label.Text = $env:${POWERSHELL_TEXT_VARIABLE}
$label.Location = New-Object System.Drawing.Point(10, 10)
$label.Size = New-Object System.Drawing.Size(340, 36)
$box = New-Object System.Windows.Forms.TextBox
$box.UseSystemPasswordChar = $true
$box.Location = New-Object System.Drawing.Point(10, 48)
$box.Width = 340
$ok = New-Object System.Windows.Forms.Button
$ok.Text = 'OK'
$ok.DialogResult = [System.Windows.Forms.DialogResult]::OK
$ok.Location = New-Object System.Drawing.Point(194, 78)
$cancel = New-Object System.Windows.Forms.Button
$cancel.Text = 'Cancel'
$cancel.DialogResult = [System.Windows.Forms.DialogResult]::Cancel
$cancel.Location = New-Object System.Drawing.Point(275, 78)
$form.AcceptButton = $ok
$form.CancelButton = $cancel
$form.Controls.AddRange(@($label, $box, $ok, $cancel))
$form.Add_Shown({ $box.Focus() })
if ($form.ShowDialog() -ne [System.Windows.Forms.DialogResult]::OK) { exit 1 }
[Console]::Out.Write($box.Text)
exit 0
`;

/**
 * Windows PowerShell (present on every Windows) with the script as -EncodedCommand: a command line
 * that needs no quoting. The title and text travel in the environment, as -EncodedCommand takes no
 * arguments and splicing them into the script would need PowerShell quoting of profile names.
 */
export function powershellCommand(dialog: DialogText): DialogCommand {
  return {
    program: 'powershell.exe',
    args: [
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
      Buffer.from(POWERSHELL_SCRIPT, 'utf16le').toString('base64'),
    ],
    env: { [POWERSHELL_TITLE_VARIABLE]: dialog.title, [POWERSHELL_TEXT_VARIABLE]: dialog.text },
    isCancel: (exitCode) => exitCode === 1,
  };
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
