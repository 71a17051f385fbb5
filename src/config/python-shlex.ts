/**
 * Python's `shlex.split(text)` (POSIX mode, no comments), which botocore applies to config
 * section names. A port of CPython's `shlex.read_token` rather than the `shlex` npm package:
 * that one adds bash's `$'…'` and `$"…"` quoting, where Python reads `$` as a plain character.
 */

/** Python's `shlex.whitespace`: only these four, not every Unicode space. */
const WHITESPACE = ' \t\r\n';
const QUOTES = `'"`;
const ESCAPE = '\\';
/** Inside these quotes (and only these), a backslash escapes the quote itself and a backslash. */
const ESCAPED_QUOTES = '"';

/** The words, or undefined where Python raises ValueError (an open quote, a final lone backslash). */
export function pythonShlexSplit(text: string): string[] | undefined {
  const words: string[] = [];
  let position = 0;
  // ' ' between words, 'a' in a word, a quote character inside quotes, '\\' after an escape.
  let state = ' ';
  let escapedState = ' ';
  let token = '';
  let quoted = false;
  while (true) {
    const char = position < text.length ? (text[position] as string) : '';
    position += 1;
    if (state === ' ' || state === 'a') {
      if (char === '') {
        if (token !== '' || quoted) words.push(token);
        return words;
      }
      if (WHITESPACE.includes(char)) {
        if (token !== '' || quoted) words.push(token);
        token = '';
        quoted = false;
        state = ' ';
      } else if (char === ESCAPE) {
        escapedState = 'a';
        state = char;
      } else if (QUOTES.includes(char)) {
        state = char;
      } else {
        token += char;
        state = 'a';
      }
    } else if (QUOTES.includes(state)) {
      quoted = true;
      if (char === '') return undefined;
      if (char === state) state = 'a';
      else if (char === ESCAPE && ESCAPED_QUOTES.includes(state)) {
        escapedState = state;
        state = char;
      } else token += char;
    } else {
      // After an escape: inside double quotes, only the quote and the escape itself are escaped.
      if (char === '') return undefined;
      if (QUOTES.includes(escapedState) && char !== ESCAPE && char !== escapedState) token += ESCAPE;
      token += char;
      state = escapedState;
    }
  }
}
