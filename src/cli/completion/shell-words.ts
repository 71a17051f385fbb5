/** `aws-mfa` as a shell function name: `_aws_mfa`. */
export function shellFunctionName(program: string): string {
  return `_${program.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** A word in sh/bash/zsh single quotes. */
export function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A `case` pattern that matches any of the words (which hold no quote or glob characters). */
export function casePattern(words: readonly string[]): string {
  return words.join('|');
}
