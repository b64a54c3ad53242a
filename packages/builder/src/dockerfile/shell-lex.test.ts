// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text is full of ${VAR}
import { describe, expect, it } from 'vitest';
import { expandWord, expandWords, expandWordWithMatches, LexError } from './shell-lex.js';

const vars = new Map<string, string | undefined>([
  ['PWD', '/home'],
  ['SHELL', 'bash'],
  ['FOO', 'foo'],
  ['EMPTY', ''],
  ['UNSETARG', undefined],
  ['SPACED', 'a  b c'],
  ['PATHV', '/usr/local/bin/tool.tar.gz'],
]);

describe('expandWord (Docker word rules)', () => {
  it.each([
    ['hello', 'hello'],
    ['he"llo"', 'hello'],
    ["he'llo'", 'hello'],
    ['"he\'llo"', "he'llo"],
    ["'he\"llo'", 'he"llo'],
    ['he\\"llo', 'he"llo'],
    ['he\\\\llo', 'he\\llo'],
    ['"he\\"llo"', 'he"llo'],
    ['"he\\llo"', 'he\\llo'],
    ["'he\\llo'", 'he\\llo'],
    ['$PWD', '/home'],
    ['${PWD}', '/home'],
    ['$PWD/x', '/home/x'],
    ['"$PWD"', '/home'],
    ["'$PWD'", '$PWD'],
    ['\\$PWD', '$PWD'],
    ['"\\$PWD"', '$PWD'],
    ['$NOPE', ''],
    ['${NOPE}', ''],
    ['$', '$'],
    ['a$ b', 'a$ b'],
    ['$FOO$FOO', 'foofoo'],
    ['${FOO}bar', 'foobar'],
    ['$FOObar', ''],
    ['${NOPE:-def}', 'def'],
    ['${EMPTY:-def}', 'def'],
    ['${EMPTY-def}', ''],
    ['${NOPE-def}', 'def'],
    ['${FOO:-def}', 'foo'],
    ['${FOO:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${NOPE:+alt}', ''],
    ['${UNSETARG:-d}', 'd'],
    ['${NOPE:-$FOO}', 'foo'],
    ['${NOPE:-"a b"}', 'a b'],
    ['${NOPE:-${FOO:+x}y}', 'xy'],
    ['${PATHV%.gz}', '/usr/local/bin/tool.tar'],
    ['${PATHV%.*}', '/usr/local/bin/tool.tar'],
    ['${PATHV%%.*}', '/usr/local/bin/tool'],
    ['${PATHV#*/}', 'usr/local/bin/tool.tar.gz'],
    ['${PATHV##*/}', 'tool.tar.gz'],
    ['${PATHV/local/opt}', '/usr/opt/bin/tool.tar.gz'],
    ['${FOO//o/0}', 'f00'],
    ['\\', ''],
    ['a\\', 'a'],
    ['$1', ''],
  ])('%s → %s', (input, want) => {
    expect(expandWord(input, vars)).toBe(want);
  });

  it.each([
    // buildkit's lex_test.go cases for patterns and replacements
    ['${FOO#()[]{\\}^$.\\*\\?|\\\\}', { FOO: '()[]{}^$.*?|\\x' }, 'x'],
    ['${FOO%%\\**}', { FOO: 'xx**' }, 'xx'],
    ['${FOO#*x*y}', { FOO: 'xxyy' }, 'y'],
    ['${FOO#*}', { FOO: 'xxyy' }, 'xxyy'],
    ['${FOO#$BAR}', { FOO: 'xxyy', BAR: 'x' }, 'xyy'],
    ['${FOO#$BAR}', { FOO: 'xxyy', BAR: '' }, 'xxyy'],
    ['${FOO##*x}', { FOO: 'xxyy' }, 'yy'],
    ['${FOO#?\\?}', { FOO: '???y' }, '?y'],
    ['${ABC:-.}${FOO%x}${ABC:-.}', { FOO: 'xxyy' }, '.xxyy.'],
    ['${FOO%%\\**\\*}', { FOO: 'a***yy*' }, 'a'],
    [
      '${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}',
      { FOO: '/foo*/*/*.txt', NEEDLE: '\\*/' },
      '/foo.*/*.txt - /foo..*.txt',
    ],
    [
      '${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}',
      { FOO: '/tmp/tmp/bar.txt', NEEDLE: '/tmp' },
      '/tmp/bar.txt - /bar.txt',
    ],
    [
      '${FOO/$N/$R} - ${FOO//$N/$R}',
      { FOO: '/a/foo/b/c.txt', N: '/?/', R: '/' },
      '/foo/b/c.txt - /foo/c.txt',
    ],
    ['${FOO//\\//\\/}', { FOO: '/tmp/foo.txt' }, '\\/tmp\\/foo.txt'],
    ['${FOO///}', { FOO: 'xxyy' }, 'xxyy'],
    ['${VAR:?message here$ARG}', { VAR: 'plain', ARG: 'x' }, 'plain'],
    ['${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}', { FOO: 'xxx', BAR: '' }, 'xxx  ccc'],
    ['${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}', { FOO: 'xxx', BAR: '' }, 'aaa bbb '],
  ])('%s with %o → %s', (input, values, want) => {
    expect(expandWord(input, new Map(Object.entries(values)))).toBe(want);
  });

  it.each([['${FOO//ww}'], ['${FOO//}'], ['${FOO=aaa}'], ['${FOO=}']])('%s is an error', (input) => {
    expect(() => expandWord(input, new Map([['FOO', 'xxyy']]))).toThrow(LexError);
  });

  it('a :? message is expanded too', () => {
    expect(() =>
      expandWord(
        '${VAR:?message here$ARG}',
        new Map([
          ['VAR', ''],
          ['ARG', 'x'],
        ]),
      ),
    ).toThrow('message herex');
  });

  it('uses a backtick escape when asked', () => {
    expect(expandWord('C:`\\path `$FOO', vars, { escape: '`' })).toBe('C:\\path $FOO');
    expect(expandWord('a\\b', vars, { escape: '`' })).toBe('a\\b');
  });

  it('keeps quotes and escapes when quotes are skipped (heredoc bodies)', () => {
    expect(expandWord('echo "$FOO" \\$x \'$FOO\'', vars, { skipQuotes: true })).toBe(
      'echo "foo" \\$x \'foo\'',
    );
  });

  it.each([
    ['"abc', 'double-quote'],
    ["'abc", 'single-quote'],
    ['${FOO', "missing '}'"],
    ['${}', 'bad substitution'],
    ['${:-x}', 'bad substitution'],
    ['${FOO:=x}', 'unsupported modifier (:=)'],
    ['${NOPE:?must be set}', 'NOPE: must be set'],
    ['${NOPE?}', 'NOPE: is not allowed to be unset'],
    ['${EMPTY:?}', 'EMPTY: is not allowed to be empty'],
  ])('refuses %s', (input, message) => {
    expect(() => expandWord(input, vars)).toThrow(LexError);
    expect(() => expandWord(input, vars)).toThrow(message);
  });

  it('reports which variables a word used', () => {
    expect([...expandWordWithMatches('$FOO ${BAR:-x} $', vars).used].sort()).toEqual(['BAR', 'FOO']);
  });
});

describe('expandWords', () => {
  it('splits at unquoted whitespace, also inside expanded values', () => {
    expect(expandWords('a $SPACED "c d" e\\ f', vars)).toEqual(['a', 'a', 'b', 'c', 'c d', 'e f']);
    expect(expandWords('"$SPACED"', vars)).toEqual(['a  b c']);
    expect(expandWords('  ', vars)).toEqual([]);
    expect(expandWords('""', vars)).toEqual(['']);
  });
});
