export const SHELLS = ['sh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

interface ShellSyntax {
  set(name: string, value: string): string;
  unset(name: string): string;
}

/** Single quotes everywhere: no shell expands anything inside them. */
const SYNTAX: Record<Shell, ShellSyntax> = {
  sh: {
    set: (name, value) => `export ${name}='${value.replaceAll("'", `'\\''`)}'`,
    unset: (name) => `unset ${name}`,
  },
  fish: {
    set: (name, value) => `set -gx ${name} '${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`,
    unset: (name) => `set -e ${name}`,
  },
  powershell: {
    // PowerShell also ends single-quoted strings at typographic single quotes.
    set: (name, value) => `$Env:${name} = '${value.replace(/['\u2018\u2019\u201A\u201B]/g, '$&$&')}'`,
    unset: (name) => `Remove-Item Env:${name} -ErrorAction SilentlyContinue`,
  },
};

export function isShell(value: string): value is Shell {
  return (SHELLS as readonly string[]).includes(value);
}

/** Lines that `eval` (sh), `source` (fish) or `Invoke-Expression` (PowerShell) apply to the shell. */
export function formatShellScript(shell: Shell, variables: ReadonlyArray<readonly [string, string]>, removed: readonly string[]): string {
  const syntax = SYNTAX[shell];
  const lines = [...variables.map(([name, value]) => syntax.set(name, value)), ...removed.map((name) => syntax.unset(name))];
  return `${lines.join('\n')}\n`;
}
