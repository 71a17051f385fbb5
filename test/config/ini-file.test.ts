import { beforeAll, describe, expect, it } from 'vitest';
import { parseIni, removeSection, removeSectionKeys, setSectionKeys } from '../../src/config/ini-file.js';
import { UsageError } from '../../src/core/errors.js';
import {
  applyEdit,
  type BotocoreResult,
  corpusFile,
  type Edit,
  editedText,
  expectedView,
  ownViewOf,
  readOk,
  readWithBotocore,
  sectionsAsObject,
  tryEdit,
} from './ini-corpus/harness.js';

const SESSION: [string, string][] = [
  ['aws_access_key_id', 'ASIANEWSESSIONKEY999'],
  ['aws_secret_access_key', 'newSecret/+abc'],
  ['aws_session_token', 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH=='],
  ['expiration', '2026-11-22T18:00:00Z'],
];

function replaceOnce(text: string, search: string, replacement: string): string {
  const at = text.indexOf(search);
  if (at < 0 || text.indexOf(search, at + 1) >= 0) throw new Error(`${JSON.stringify(search)} must occur exactly once`);
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

interface CorpusCase {
  name: string;
  file: string;
  edit: Edit;
  /** The exact bytes after the edit, made from the original bytes. */
  expected: (original: string) => string;
}

const corpusCases: CorpusCase[] = [
  {
    name: 'updates a session in the middle of the file in place',
    file: 'credentials-basic.ini',
    edit: { op: 'set', section: 'team.prod', values: SESSION },
    expected: (text) =>
      replaceOnce(
        text,
        'aws_access_key_id = ASIAOLDSESSIONKEY001\naws_secret_access_key = oldSecret\naws_session_token = oldToken\nexpiration = 2026-01-01T00:00:00Z\n',
        SESSION.map(([key, value]) => `${key} = ${value}\n`).join(''),
      ),
  },
  {
    name: 'appends a missing section after a blank line',
    file: 'credentials-basic.ini',
    edit: { op: 'set', section: 'team.dev', values: SESSION.slice(0, 2) },
    expected: (text) => `${text}\n[team.dev]\naws_access_key_id = ASIANEWSESSIONKEY999\naws_secret_access_key = newSecret/+abc\n`,
  },
  {
    name: 'removes a section in the middle with the blank line after it',
    file: 'credentials-basic.ini',
    edit: { op: 'removeSection', section: 'team.prod' },
    expected: (text) =>
      replaceOnce(
        text,
        '[team.prod]\naws_access_key_id = ASIAOLDSESSIONKEY001\naws_secret_access_key = oldSecret\naws_session_token = oldToken\nexpiration = 2026-01-01T00:00:00Z\n\n',
        '',
      ),
  },
  {
    name: 'removes keys and leaves the long-term section alone',
    file: 'credentials-basic.ini',
    edit: { op: 'removeKeys', section: 'team.prod', keys: ['AWS_SESSION_TOKEN', 'expiration', 'not_there'] },
    expected: (text) => replaceOnce(text, 'aws_session_token = oldToken\nexpiration = 2026-01-01T00:00:00Z\n', ''),
  },
  {
    name: 'keeps CRLF and writes new lines with CRLF',
    file: 'credentials-crlf.ini',
    edit: { op: 'set', section: 'team', values: SESSION.slice(0, 1) },
    expected: (text) => `${text}\r\n[team]\r\naws_access_key_id = ASIANEWSESSIONKEY999\r\n`,
  },
  {
    name: 'updates and appends keys in a CRLF file',
    file: 'credentials-crlf.ini',
    edit: {
      op: 'set',
      section: 'work',
      values: [
        ['aws_session_token', 'newToken'],
        ['expiration', 'soon'],
      ],
    },
    expected: (text) => replaceOnce(text, 'aws_session_token = oldToken\r\n', 'aws_session_token = newToken\r\nexpiration = soon\r\n'),
  },
  {
    name: 'appends to a dotted profile before the comment that belongs to the next section',
    file: 'config-dotted.ini',
    edit: { op: 'set', section: 'profile a.b', values: [['credential_process', 'aws-mfa credential-process --profile a.b']] },
    expected: (text) => replaceOnce(text, 'mfa/bob\n', 'mfa/bob\ncredential_process = aws-mfa credential-process --profile a.b\n'),
  },
  {
    name: 'appends after an indented sub-section, not inside it',
    file: 'config-dotted.ini',
    edit: { op: 'set', section: 'profile team.prod', values: [['mfa_serial', 'arn:aws:iam::123456789012:mfa/ci']] },
    expected: (text) =>
      replaceOnce(
        text,
        '    multipart_threshold = 64MB\n',
        '    multipart_threshold = 64MB\nmfa_serial = arn:aws:iam::123456789012:mfa/ci\n',
      ),
  },
  {
    name: 'removes a key with its indented sub-section lines',
    file: 'config-dotted.ini',
    edit: { op: 'removeKeys', section: 'profile team.prod', keys: ['S3'] },
    expected: (text) => replaceOnce(text, 's3 =\n    max_concurrent_requests = 20\n    multipart_threshold = 64MB\n', ''),
  },
  {
    name: 'replaces a multi-line value with a single line',
    file: 'config-dotted.ini',
    edit: { op: 'set', section: 'profile team.prod', values: [['s3', 'none']] },
    expected: (text) => replaceOnce(text, 's3 =\n    max_concurrent_requests = 20\n    multipart_threshold = 64MB\n', 's3 = none\n'),
  },
  {
    name: 'edits in the middle and keeps the missing final newline',
    file: 'no-final-newline.ini',
    edit: { op: 'set', section: 'dev', values: [['aws_session_token', 'newToken']] },
    expected: (text) => replaceOnce(text, 'oldToken', 'newToken'),
  },
  {
    name: 'appends to the last line without a final newline',
    file: 'no-final-newline.ini',
    edit: { op: 'set', section: 'last', values: [['output', 'json']] },
    expected: (text) => `${text}\noutput = json`,
  },
  {
    name: 'appends a section to a file without a final newline',
    file: 'no-final-newline.ini',
    edit: { op: 'set', section: 'new', values: [['region', 'us-east-1']] },
    expected: (text) => `${text}\n\n[new]\nregion = us-east-1`,
  },
  {
    name: 'removes the last section with the blank line before it',
    file: 'no-final-newline.ini',
    edit: { op: 'removeSection', section: 'last' },
    expected: (text) => replaceOnce(text, 'oldToken\n\n[last]\nregion = ap-southeast-2', 'oldToken'),
  },
  {
    name: 'keeps tabs around = and unicode',
    file: 'tabs-unicode.ini',
    edit: { op: 'set', section: 'default', values: [['region', 'us-east-1']] },
    expected: (text) => replaceOnce(text, 'region\t=\teu-central-1\nnote', 'region\t=\tus-east-1\nnote'),
  },
  {
    name: 'appends with the indentation and tabs of the section',
    file: 'tabs-unicode.ini',
    edit: { op: 'set', section: 'profile münchen', values: [['mfa_serial', 'GAHT12345678']] },
    expected: (text) => `${text}\tmfa_serial\t=\tGAHT12345678\n`,
  },
  {
    name: 'keeps each line’s delimiter and spacing',
    file: 'colon-and-spacing.ini',
    edit: {
      op: 'set',
      section: 'profile colon',
      values: [
        ['region', 'eu-west-1'],
        ['output', 'text'],
        ['cli_pager', 'more'],
        ['mfa_serial', 'GAHT0000000A'],
        ['empty', 'filled'],
        ['nospace', 'filled'],
        ['added', 'yes'],
      ],
    },
    expected: () =>
      '[profile colon]\nregion: eu-west-1\noutput:text\ncli_pager  =   more\nmfa_serial :GAHT0000000A\nempty = filled\nnospace=filled\nadded=yes\n',
  },
  {
    name: 'writes an empty value as `key =`',
    file: 'colon-and-spacing.ini',
    edit: { op: 'set', section: 'profile colon', values: [['region', '']] },
    expected: (text) => replaceOnce(text, 'region: us-east-1', 'region:'),
  },
  {
    name: 'creates the first section of an empty file',
    file: 'empty.ini',
    edit: { op: 'set', section: 'default', values: SESSION.slice(0, 1) },
    expected: () => '[default]\naws_access_key_id = ASIANEWSESSIONKEY999\n',
  },
  {
    name: 'creates a section below comments',
    file: 'only-comments.ini',
    edit: { op: 'set', section: 'profile a.b', values: [['region', 'us-east-1']] },
    expected: (text) => `${text}\n[profile a.b]\nregion = us-east-1\n`,
  },
  {
    name: 'removes a sub-section with its blank and comment lines',
    file: 'indented-subsections.ini',
    edit: { op: 'removeKeys', section: 'profile tools', keys: ['s3'] },
    expected: (text) =>
      replaceOnce(text, 's3 =\n  max_concurrent_requests = 20\n\n  # tuned for the VPN\n  multipart_chunksize = 16MB\n', ''),
  },
  {
    name: 'appends after the last key, above an indented comment',
    file: 'indented-subsections.ini',
    edit: { op: 'set', section: 'profile tools', values: [['mfa_process', 'op item get aws --otp']] },
    expected: (text) => replaceOnce(text, 'output = text\n', 'output = text\nmfa_process = op item get aws --otp\n'),
  },
  {
    name: 'gives [default] its own value over [DEFAULT]',
    file: 'default-section.ini',
    edit: { op: 'set', section: 'default', values: [['region', 'us-west-1']] },
    expected: (text) => replaceOnce(text, 'output = json\n', 'output = json\nregion = us-west-1\n'),
  },
  {
    name: 'removes [DEFAULT]',
    file: 'default-section.ini',
    edit: { op: 'removeSection', section: 'DEFAULT' },
    expected: (text) => replaceOnce(text, '[DEFAULT]\nregion = eu-north-1\n\n', ''),
  },
  {
    name: 'keeps a BOM',
    file: 'bom.ini',
    edit: { op: 'set', section: 'default', values: [['region', 'us-east-1']] },
    expected: (text) => `${text}region = us-east-1\r\n`,
  },
  {
    name: 'keeps the key spelling of existing keys',
    file: 'mixed-case-keys.ini',
    edit: {
      op: 'set',
      section: 'Admin',
      values: [
        ['aws_access_key_id', 'ASIANEW'],
        ['AWS_SESSION_TOKEN', 'newToken'],
        ['expiration', 'soon'],
      ],
    },
    expected: () => '[Admin]\nAWS_Access_Key_ID = ASIANEW\nAws_Session_Token = newToken\nRegion = sa-east-1\nexpiration = soon\n',
  },
  {
    name: 'edits a section whose name has spaces around it',
    file: 'weird-headers.ini',
    edit: { op: 'set', section: ' spaced name ', values: [['region', 'ca-central-1']] },
    expected: (text) => replaceOnce(text, 'us-east-1', 'ca-central-1'),
  },
  {
    name: 'appends with the indentation of the section’s keys',
    file: 'weird-headers.ini',
    edit: { op: 'set', section: 'plain', values: [['output', 'json']] },
    expected: (text) => replaceOnce(text, '    region = us-east-2\n', '    region = us-east-2\n    output = json\n'),
  },
  {
    name: 'moves an indented header to column 0 when the key above would swallow it',
    file: 'weird-headers.ini',
    edit: { op: 'removeSection', section: 'plain' },
    expected: (text) =>
      replaceOnce(text, '[plain] ; a comment after the header\n    region = us-east-2\n  [indented header]', '[indented header]'),
  },
  {
    name: 'drops the trailing spaces of a rewritten line only',
    file: 'whitespace-lines.ini',
    edit: {
      op: 'set',
      section: 'a',
      values: [
        ['key1', 'new'],
        ['key3', 'v3'],
      ],
    },
    expected: (text) => replaceOnce(text, 'key1 = v1   \n', 'key1 = new\nkey3 = v3\n'),
  },
  {
    name: 'removes whitespace-only lines after a removed section',
    file: 'whitespace-lines.ini',
    edit: { op: 'removeSection', section: 'a' },
    expected: () => '[b]\nkey2 = v2\n \n',
  },
];

/** configparser cannot read a BOM (botocore fails on it); we skip it, so python gets the text without it. */
function withoutBom(text: string): string {
  return text.replace(/^\ufeff/, '');
}

describe('corpus edits', () => {
  const originals = corpusCases.map((testCase) => corpusFile(testCase.file));
  let results: (string | Error)[] = [];
  let before: BotocoreResult[] = [];
  let after: BotocoreResult[] = [];
  beforeAll(() => {
    results = corpusCases.map((testCase, index) => tryEdit(originals[index] ?? '', testCase.edit));
    before = readWithBotocore(originals.map(withoutBom));
    after = readWithBotocore(results.map((result) => (result instanceof Error ? '' : withoutBom(result))));
  });

  corpusCases.forEach((testCase, index) => {
    it(`${testCase.file}: ${testCase.name}`, () => {
      const original = originals[index] ?? '';
      const result = editedText(results[index]);
      expect(result).toBe(testCase.expected(original));
      expect(ownViewOf(after[index])).toEqual(expectedView(ownViewOf(before[index]), testCase.edit));
      const parsed = sectionsAsObject(parseIni(result, testCase.file));
      expect(parsed).toEqual(readOk(after[index]).sections);
      expect(Object.keys(parsed)).toEqual(Object.keys(readOk(after[index]).sections));
    });
  });

  it('reads every corpus file as configparser does', () => {
    const files = [...new Set(corpusCases.map((testCase) => testCase.file))];
    const views = readWithBotocore(files.map((file) => withoutBom(corpusFile(file))));
    files.forEach((file, index) => {
      expect(sectionsAsObject(parseIni(corpusFile(file), file)), file).toEqual(readOk(views[index]).sections);
    });
  });

  it('applies an edit a second time without changing anything', () => {
    corpusCases.forEach((testCase, index) => {
      const result = editedText(results[index]);
      expect(applyEdit(result, testCase.edit), testCase.name).toBe(result);
    });
  });
});

describe('parseIni semantics', () => {
  const cases: { name: string; text: string; sections: Record<string, Record<string, string>> }[] = [
    { name: 'empty file', text: '', sections: {} },
    { name: 'only comments and blank lines', text: '# a\n\n; b\n   # indented\n', sections: {} },
    {
      name: 'dotted names are opaque',
      text: '[team.prod-long-term]\nx = 1\n[profile a.b]\ny = 2\n',
      sections: { 'team.prod-long-term': { x: '1' }, 'profile a.b': { y: '2' } },
    },
    {
      name: 'keys are lowercased and stripped, values stripped',
      text: '[a]\n  Aws_Access_Key_ID   =   AKIA  \t\n',
      sections: { a: { aws_access_key_id: 'AKIA' } },
    },
    {
      name: 'the first = or : splits key from value',
      text: '[a]\nurl: https://x?a=b\nk = v:w=x\n',
      sections: { a: { url: 'https://x?a=b', k: 'v:w=x' } },
    },
    {
      name: 'no inline comments',
      text: '[a]\nregion = us-east-1 # the main one\nk = ;v\n',
      sections: { a: { region: 'us-east-1 # the main one', k: ';v' } },
    },
    {
      name: 'indented lines continue a value; blank lines inside stay, comments go, trailing blanks go',
      text: '[a]\ns3 =\n  max_concurrent_requests = 20\n\n  # tuned\n  multipart_chunksize = 16MB\n\n\n[b]\n',
      sections: { a: { s3: '\nmax_concurrent_requests = 20\n\nmultipart_chunksize = 16MB' }, b: {} },
    },
    {
      name: 'an indented header below a key is part of its value',
      text: '[a]\nx = 1\n  [b]\n',
      sections: { a: { x: '1\n[b]' } },
    },
    {
      name: 'an indented key after a header is a key, and sets the continuation depth',
      text: '[a]\n    x = 1\n  y = 2\n     z\n',
      sections: { a: { x: '1', y: '2\nz' } },
    },
    {
      name: 'a header ends at its last ], text after it is ignored',
      text: '[a] ; note\n[b]]\n[c] x ]\n',
      sections: { a: {}, 'b]': {}, 'c] x ': {} },
    },
    {
      name: '[DEFAULT] keys are defaults of every section, and [DEFAULT] may repeat',
      text: '[DEFAULT]\nregion = eu-north-1\n[a]\n[b]\nregion = us-east-1\n[DEFAULT]\noutput = json\n',
      sections: { a: { region: 'eu-north-1', output: 'json' }, b: { region: 'us-east-1', output: 'json' } },
    },
    {
      name: 'section names are case-sensitive; only DEFAULT is special',
      text: '[default]\nx = 1\n[Default]\nx = 2\n',
      sections: { default: { x: '1' }, Default: { x: '2' } },
    },
    {
      name: 'CRLF, CR and LF all end lines',
      text: '[a]\r\nx = 1\r[b]\ny = 2\r\n',
      sections: { a: { x: '1' }, b: { y: '2' } },
    },
    {
      name: 'python whitespace: no-break space is stripped, zero-width space is not',
      text: '[a]\nx =\u00a0v\u00a0\ny = \u200bv\n',
      sections: { a: { x: 'v', y: '\u200bv' } },
    },
    {
      name: 'unicode keys and values',
      text: '[ünï]\nRégion = 東京 🚀\n',
      sections: { ünï: { région: '東京 🚀' } },
    },
  ];

  let views: BotocoreResult[] = [];
  beforeAll(() => {
    views = readWithBotocore(cases.map((testCase) => testCase.text));
  });

  cases.forEach((testCase, index) => {
    it(testCase.name, () => {
      const parsed = sectionsAsObject(parseIni(testCase.text, 'test'));
      expect(parsed).toEqual(testCase.sections);
      expect(parsed).toEqual(readOk(views[index]).sections);
    });
  });

  it('skips a UTF-8 BOM, which botocore itself rejects', () => {
    const text = '\ufeff[default]\nregion = us-east-1\n';
    expect(sectionsAsObject(parseIni(text, 'test'))).toEqual({ default: { region: 'us-east-1' } });
    expect(readWithBotocore([text])[0]).toEqual({ error: 'MissingSectionHeaderError', line: 1 });
  });
});

describe('parseIni errors', () => {
  const cases: { name: string; text: string; why: string; configparserLine: number | null }[] = [
    { name: 'duplicate section', text: '[a]\nx = 1\n[a]\n', why: 'line 3: duplicate section [a]', configparserLine: 3 },
    {
      name: 'duplicate key, other case',
      text: '[a]\nRegion = 1\n\nregion = 2\n',
      why: 'line 4: duplicate key "region" in [a]',
      configparserLine: 4,
    },
    {
      name: 'duplicate key across two [DEFAULT] blocks',
      text: '[DEFAULT]\na = 1\n[DEFAULT]\nA = 2\n',
      why: 'line 4: duplicate key "a" in [DEFAULT]',
      configparserLine: 4,
    },
    {
      name: 'key before any section',
      text: '# c\n\naws_access_key_id = AKIA\n[a]\n',
      why: 'line 3: text before the first [section] header',
      configparserLine: 3,
    },
    { name: 'empty brackets before any section', text: '[]\n', why: 'line 1: text before the first [section] header', configparserLine: 1 },
    {
      name: 'a line with no delimiter',
      text: '[a]\nx = 1\nsecretvalue\n',
      why: 'line 3: not a [section] header, key = value line or comment',
      configparserLine: 3,
    },
    {
      name: 'empty brackets in a section',
      text: '[a]\n[]\n',
      why: 'line 2: not a [section] header, key = value line or comment',
      configparserLine: 2,
    },
    { name: 'no key before =', text: '[a]\n = value\n', why: 'line 2: key name missing before "="', configparserLine: 2 },
    { name: 'no key before :', text: '[a]\n:value\n', why: 'line 2: key name missing before ":"', configparserLine: 2 },
    {
      name: 'line numbers count CRLF and lone CR lines',
      text: '[a]\r\nx = 1\ry = 2\r\n[a]\r\n',
      why: 'line 4: duplicate section [a]',
      configparserLine: 4,
    },
    {
      name: 'a BOM elsewhere is text',
      text: '[a]\n\ufeffx = 1\n[b]\n\ufeff\n',
      why: 'line 4: not a [section] header, key = value line or comment',
      configparserLine: 4,
    },
  ];

  let views: BotocoreResult[] = [];
  beforeAll(() => {
    views = readWithBotocore(cases.map((testCase) => testCase.text));
  });

  cases.forEach((testCase, index) => {
    it(testCase.name, () => {
      const error = catchError(() => parseIni(testCase.text, '/home/u/.aws/credentials'));
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toBe(`malformed /home/u/.aws/credentials: ${testCase.why}`);
      expect(views[index]).toMatchObject({ line: testCase.configparserLine });
    });
  });

  it('rejects a NUL byte (configparser would take it)', () => {
    const error = catchError(() => parseIni('[a]\nx = 1\0\n', 'f'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('malformed f: line 2: NUL byte');
  });

  it('prints one line with exit code 2 and never the offending text', () => {
    const error = catchError(() => parseIni('[a]\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n', '~/.aws/credentials'));
    expect(error).toBeInstanceOf(UsageError);
    const usage = error as UsageError;
    expect(usage.exitCode).toBe(2);
    expect(usage.toLine()).toBe('aws-mfa: malformed ~/.aws/credentials: line 2: not a [section] header, key = value line or comment');
  });
});

describe('editor', () => {
  const base = '[a]\nx = 1\n';

  it('refuses section names and keys that would inject INI', () => {
    for (const section of ['a]\n[b', 'a[b', 'a]', 'x\ry', 'x\ny', '']) {
      expect(() => setSectionKeys(base, section, [['k', 'v']]), JSON.stringify(section)).toThrow(/cannot write a section/);
    }
    const badPairs: [string, string][] = [
      ['k', 'v\n[evil]'],
      ['k', 'v\rq'],
      ['k\n', 'v'],
      ['k=1', 'v'],
      ['k:1', 'v'],
      ['#k', 'v'],
      [';k', 'v'],
      ['[k]', 'v'],
      ['', 'v'],
      [' k', 'v'],
      ['k', ' v'],
      ['k', 'v\t'],
      ['k', 'v\0'],
    ];
    for (const pair of badPairs) {
      expect(() => setSectionKeys(base, 'a', [pair]), JSON.stringify(pair)).toThrow(/cannot write key/);
    }
  });

  it('never echoes a value it refuses', () => {
    expect(() => setSectionKeys(base, 'a', [['aws_secret_access_key', 'SECRET\n']])).toThrow(/^(?!.*SECRET)/s);
  });

  it('refuses to edit a malformed file', () => {
    const error = catchError(() => setSectionKeys('[a]\n[a]\n', 'a', [['k', 'v']]));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('malformed INI file: line 2: duplicate section [a]');
    expect(() => removeSection('junk\n', 'a')).toThrow(UsageError);
  });

  it('returns the text unchanged when there is nothing to remove', () => {
    const text = '# c\r\n[a]\r\nx = 1';
    expect(removeSection(text, 'b')).toBe(text);
    expect(removeSectionKeys(text, 'a', ['y'])).toBe(text);
    expect(removeSectionKeys(text, 'b', ['x'])).toBe(text);
    expect(setSectionKeys(text, 'a', [])).toBe(text);
    expect(setSectionKeys(text, 'b', [])).toBe(text);
  });

  it('removes the last line without leaving a final newline the file did not have', () => {
    expect(removeSectionKeys('[a]\ny = 2\nx = 1', 'a', ['x'])).toBe('[a]\ny = 2');
  });

  it('uses the file’s first line ending for new lines, and keeps mixed endings', () => {
    expect(setSectionKeys('[a]\r\nx = 1\n[b]\ny = 2\n', 'b', [['z', '3']])).toBe('[a]\r\nx = 1\n[b]\ny = 2\nz = 3\r\n');
  });

  it('adds no second blank line before a new section', () => {
    expect(setSectionKeys('[a]\nx = 1\n\n', 'b', [['y', '2']])).toBe('[a]\nx = 1\n\n[b]\ny = 2\n');
    expect(setSectionKeys('\ufeff', 'b', [['y', '2']])).toBe('\ufeff[b]\ny = 2\n');
  });

  it('writes keys into an empty section below its header', () => {
    expect(setSectionKeys('[a]\n# keep\n\n[b]\nk: v\n', 'a', [['x', '1']])).toBe('[a]\nx: 1\n# keep\n\n[b]\nk: v\n');
  });

  it('indents keys written into an empty section as the header below, which keeps every byte of it', () => {
    expect(setSectionKeys('[a]\n  [b]\n  y = 2\n', 'a', [['x', '1']])).toBe('[a]\n  x = 1\n  [b]\n  y = 2\n');
    const text = '[p]\n\n\t[p-long-term]\n\t\taws_access_key_id = AKIAIOSFODNN7EXAMPLE\n';
    const written = setSectionKeys(text, 'p', SESSION);
    expect(written.endsWith(text.slice('[p]\n'.length))).toBe(true);
    expect(written.startsWith(`[p]\n\taws_access_key_id = ${SESSION[0]?.[1]}\n`)).toBe(true);
  });

  it('moves an indented header to column 0 only when removing the section above it', () => {
    expect(removeSection('[a]\nk = 1\n[b]\n  [c]\n  y = 2\n', 'b')).toBe('[a]\nk = 1\n[c]\n  y = 2\n');
  });

  it('applies repeated keys in order, matching case-insensitively', () => {
    expect(
      setSectionKeys(base, 'a', [
        ['k', '1'],
        ['K', '2'],
      ]),
    ).toBe('[a]\nx = 1\nk = 2\n');
  });

  it('edits [DEFAULT] blocks: a key where it is, a new key in the last block, all blocks on removal', () => {
    const text = '[DEFAULT]\nx = 1\n\n[a]\ny = 2\n\n[DEFAULT]\nz = 3\n';
    expect(
      setSectionKeys(text, 'DEFAULT', [
        ['x', '9'],
        ['w', '0'],
      ]),
    ).toBe('[DEFAULT]\nx = 9\n\n[a]\ny = 2\n\n[DEFAULT]\nz = 3\nw = 0\n');
    expect(removeSectionKeys(text, 'DEFAULT', ['x', 'z'])).toBe('[DEFAULT]\n\n[a]\ny = 2\n\n[DEFAULT]\n');
    expect(removeSection(text, 'DEFAULT')).toBe('[a]\ny = 2\n');
  });
});

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an error');
}
