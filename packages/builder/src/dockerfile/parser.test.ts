import { describe, expect, it } from 'vitest';
import { BuildError } from '../errors.js';
import { parseDockerfile, parseWords } from './instructions.js';

const parse = (text: string) => parseDockerfile(text);
const first = (text: string, index = 1) => parse(text).instructions[index]!;

function syntaxErrorOf(text: string): BuildError {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(BuildError);
    return err as BuildError;
  }
  throw new Error('expected a syntax error');
}

describe('parseDockerfile: lines', () => {
  it('joins continuation lines, skipping comments inside them, and keeps line numbers', () => {
    const df = parse('FROM busybox\n# c\nRUN echo a \\\n  # inner comment\n    b \\\n\tc\nCMD x\n');
    const run = df.instructions[1]!;
    expect(run).toMatchObject({
      kind: 'RUN',
      line: 3,
      endLine: 6,
      command: { form: 'shell', command: 'echo a     b \tc' },
    });
    expect(df.instructions[2]).toMatchObject({ kind: 'CMD', line: 7 });
  });

  it('accepts keywords in any case and leading whitespace (column is the keyword)', () => {
    const run = first('from busybox\n   rUn   true');
    expect(run).toMatchObject({ kind: 'RUN', line: 2, column: 4 });
  });

  it('warns about empty continuation lines but joins across them', () => {
    const df = parse('FROM a\nRUN echo a \\\n\n  b');
    expect(df.instructions[1]).toMatchObject({ command: { command: 'echo a   b' } });
    expect(df.warnings.join()).toMatch(/empty continuation/);
  });

  it('handles CRLF and a byte order mark', () => {
    expect(parse('\uFEFFFROM a\r\nRUN x\r\n').instructions).toHaveLength(2);
  });

  it('allows trailing whitespace after the escape character', () => {
    expect(first('FROM a\nRUN a \\   \n b')).toMatchObject({ command: { command: 'a  b' } });
  });
});

describe('parseDockerfile: directives', () => {
  it('reads # escape=` and uses it for continuations', () => {
    const df = parse('# escape=`\nFROM a\nRUN dir c:\\ `\n  x');
    expect(df.escape).toBe('`');
    expect(df.instructions[1]).toMatchObject({ command: { command: 'dir c:\\   x' } });
  });

  it('ignores # syntax= with a note, and stops looking after the first other line', () => {
    const df = parse('# syntax=docker/dockerfile:1\n# escape=\\\n\n# escape=`\nFROM a');
    expect(df.directives).toEqual({ syntax: 'docker/dockerfile:1', escape: '\\' });
    expect(df.escape).toBe('\\');
    expect(df.warnings.join()).toMatch(/syntax directive/);
  });

  it('a directive after an instruction or comment is a comment', () => {
    expect(parse('# hello\n# escape=`\nFROM a').escape).toBe('\\');
    expect(parse('FROM a\n# escape=`').escape).toBe('\\');
  });

  it('refuses a bad or repeated escape directive', () => {
    expect(syntaxErrorOf('# escape=x\nFROM a')).toMatchObject({ code: 'ESYNTAX', line: 1 });
    expect(syntaxErrorOf('# escape=`\n# escape=`\nFROM a')).toMatchObject({ line: 2 });
  });
});

describe('parseDockerfile: heredocs', () => {
  it('RUN <<EOF collects the body up to the terminator', () => {
    const run = first('FROM a\nRUN <<EOF\necho one\necho two\nEOF\nCMD x');
    expect(run).toMatchObject({ kind: 'RUN', line: 2, endLine: 5 });
    expect(run.kind === 'RUN' && run.heredocs).toEqual([
      { name: 'EOF', content: 'echo one\necho two\n', expand: true, chomp: false },
    ]);
    expect(parse('FROM a\nRUN <<EOF\nx\nEOF\nCMD x').instructions[2]).toMatchObject({ kind: 'CMD', line: 5 });
  });

  it('quoted terminators turn expansion off, <<- strips leading tabs, several heredocs in one line', () => {
    const run = first('FROM a\nRUN <<-"A" cat - 3<<\'B\'\n\t\tline a\n\tA\nline b\nB\n');
    expect(run.kind === 'RUN' && run.heredocs).toEqual([
      { name: 'A', content: 'line a\n', expand: false, chomp: true },
      { name: 'B', content: 'line b\n', expand: false, chomp: false, fd: 3 },
    ]);
  });

  it('COPY <<EOF /dest names the heredoc as a source', () => {
    const copy = first('FROM a\nCOPY <<EOF /etc/x.conf\nk=$V\nEOF');
    expect(copy).toMatchObject({ kind: 'COPY', sources: ['<<EOF'], dest: '/etc/x.conf' });
    expect(copy.kind === 'COPY' && copy.heredocs[0]?.content).toBe('k=$V\n');
  });

  it('does not treat << in other instructions or in quotes as heredocs', () => {
    expect(first('FROM a\nLABEL x="<<EOF"\nRUN y')).toMatchObject({ kind: 'LABEL' });
    const run = first('FROM a\nRUN echo "<<EOF"\nRUN y');
    expect(run.kind === 'RUN' && run.heredocs).toEqual([]);
  });

  it("follows buildkit's heredoc terminator rules", () => {
    const df = parse(
      [
        'FROM a',
        "RUN <<eo'f'",
        'echo foo',
        'eof',
        "RUN <<eo\\'f",
        'echo foo',
        "eo'f",
        "RUN <<'e'o\\'f",
        'echo foo',
        "eo'f",
        "RUN <<'one two'",
        'echo bar',
        'one two',
        'RUN <<$EOF',
        '$EOF',
        'RUN <<  EOF  > foo',
        'EOF',
        'RUN << -EOF',
        '-EOF',
        'RUN <<-UNINDENT2',
        '\tbaz',
        '\tUNINDENT2',
        'COPY <<X <<Y /dest/',
        'Y',
        'X',
        'X',
        'Y',
        'RUN ["<<EOF"]',
        'USER <<INVALID',
      ].join('\n'),
    );
    const docs = df.instructions
      .slice(1)
      .map((i) => ('heredocs' in i ? i.heredocs.map((h) => [h.name, h.content, h.expand]) : null));
    expect(docs).toEqual([
      [['eof', 'echo foo\n', false]],
      [["eo'f", 'echo foo\n', true]],
      [["eo'f", 'echo foo\n', false]],
      [['one two', 'echo bar\n', false]],
      [['$EOF', '', true]],
      [['EOF', '', true]],
      [['-EOF', '', true]],
      [['UNINDENT2', 'baz\n', true]],
      [
        ['X', 'Y\n', true],
        ['Y', 'X\n', true],
      ],
      [],
      null,
    ]);
    expect(syntaxErrorOf("FROM a\nRUN <<'EOF\nx\nEOF").message).toMatch(/unterminated quote/);
  });

  it('an unterminated heredoc is a syntax error', () => {
    expect(syntaxErrorOf('FROM a\nRUN <<EOF\necho').message).toMatch(/unterminated heredoc/);
  });
});

describe('parseDockerfile: instructions', () => {
  it('FROM with AS and --platform', () => {
    expect(parse('FROM --platform=linux/amd64 busybox:1.36 AS Build').instructions[0]).toMatchObject({
      kind: 'FROM',
      image: 'busybox:1.36',
      as: 'build',
      platform: 'linux/amd64',
    });
  });

  it('exec and shell forms; broken JSON falls back to shell form', () => {
    expect(first('FROM a\nCMD ["echo", "hi"]')).toMatchObject({
      command: { form: 'exec', args: ['echo', 'hi'] },
    });
    expect(first('FROM a\nCMD [echo hi]')).toMatchObject({
      command: { form: 'shell', command: '[echo hi]' },
    });
    expect(first('FROM a\nENTRYPOINT ["a", 1]')).toMatchObject({ command: { form: 'shell' } });
    expect(first('FROM a\nRUN ["sh", "-c", "echo $X"]')).toMatchObject({ command: { form: 'exec' } });
  });

  it('ENV and LABEL: name=value pairs with quotes, and the legacy form', () => {
    expect(() => parse('FROM a\nENV A=1 B')).toThrow(/can't find = in "B"/);
    expect(first('FROM a\nENV A=1 B="two words" C=three\\ words')).toMatchObject({
      pairs: [
        { key: 'A', value: '1' },
        { key: 'B', value: '"two words"' },
        { key: 'C', value: 'three\\ words' },
      ],
    });
    expect(first('FROM a\nENV PATH /usr/bin:$PATH  and more')).toMatchObject({
      pairs: [{ key: 'PATH', value: '/usr/bin:$PATH  and more' }],
    });
    expect(first('FROM a\nLABEL "com.example.x"="y z" b=c')).toMatchObject({
      kind: 'LABEL',
      pairs: [
        { key: '"com.example.x"', value: '"y z"' },
        { key: 'b', value: 'c' },
      ],
    });
    expect(syntaxErrorOf('FROM a\nENV ONLYNAME').message).toMatch(/ENV must have two arguments/);
  });

  it('ARG with and without defaults', () => {
    expect(parse('ARG V=1 W\nFROM a').instructions[0]).toMatchObject({
      kind: 'ARG',
      args: [{ name: 'V', value: '1' }, { name: 'W' }],
    });
  });

  it('COPY/ADD flags and JSON form', () => {
    expect(first('FROM a\nCOPY --from=build --chown=1:2 --chmod=640 a b* /dst/')).toMatchObject({
      kind: 'COPY',
      sources: ['a', 'b*'],
      dest: '/dst/',
      from: 'build',
      chown: '1:2',
      chmod: '640',
      json: false,
    });
    expect(first('FROM a\nADD ["a b", "/c d/"]')).toMatchObject({
      kind: 'ADD',
      sources: ['a b'],
      dest: '/c d/',
      json: true,
    });
    expect(syntaxErrorOf('FROM a\nCOPY onlyone').message).toMatch(/at least two arguments/);
    expect(syntaxErrorOf('FROM a\nCOPY\t\n\t\tquux \\\n      bar').message).toMatch(
      /COPY requires at least two arguments/,
    );
    for (const kw of ['ENV', 'LABEL', 'ONBUILD', 'EXPOSE', 'VOLUME']) {
      expect(syntaxErrorOf(`FROM a\n${kw}`).message).toMatch(`${kw} requires at least one argument`);
    }
    for (const kw of ['WORKDIR', 'USER', 'STOPSIGNAL', 'MAINTAINER']) {
      expect(syntaxErrorOf(`FROM a\n${kw}`).message).toMatch(`${kw} requires exactly one argument`);
    }
    expect(syntaxErrorOf('FROM a\nMAINTAINER --boo joe@example.com').message).toMatch('unknown flag: --boo');
    expect(syntaxErrorOf('FROM a\nCOPY --nope=1 a b')).toMatchObject({ line: 2, column: 6 });
    expect(syntaxErrorOf('FROM a\nADD --from=x a b').message).toMatch(/unknown flag: --from/);
  });

  it('HEALTHCHECK with durations, NONE, and errors', () => {
    expect(
      first('FROM a\nHEALTHCHECK --interval=1m30s --timeout=500ms --retries=3 CMD curl -f x'),
    ).toMatchObject({
      none: false,
      interval: 90_000,
      timeout: 500,
      retries: 3,
      command: { form: 'shell', command: 'curl -f x' },
    });
    expect(first('FROM a\nHEALTHCHECK NONE')).toMatchObject({ none: true });
    expect(syntaxErrorOf('FROM a\nHEALTHCHECK --interval=5x CMD a').message).toMatch(/invalid duration/);
    expect(syntaxErrorOf('FROM a\nHEALTHCHECK WHAT').message).toMatch(/Unknown type/);
    expect(syntaxErrorOf('FROM a\nHEALTHCHECK --interval=50ns CMD a').message).toMatch(
      /cannot be less than 1ms/,
    );
    expect(syntaxErrorOf('FROM a\nHEALTHCHECK').message).toMatch(
      /HEALTHCHECK requires at least one argument/,
    );
    expect(first('FROM a\nHEALTHCHECK CMD hello world')).toMatchObject({
      command: { form: 'shell', command: 'hello world' },
    });
  });

  it('ONBUILD records the trigger and parses it', () => {
    const ob = first('FROM a\nONBUILD  RUN echo hi');
    expect(ob).toMatchObject({
      kind: 'ONBUILD',
      trigger: 'RUN echo hi',
      instruction: { kind: 'RUN', line: 2 },
    });
    expect(syntaxErrorOf('FROM a\nONBUILD ONBUILD RUN x').message).toMatch(/Chaining ONBUILD/);
    expect(syntaxErrorOf('FROM a\nONBUILD FROM x').message).toMatch(/isn't allowed/);
  });

  it('SHELL needs JSON, VOLUME takes JSON or words, EXPOSE words, USER/WORKDIR one value', () => {
    expect(first('FROM a\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]')).toMatchObject({
      shell: ['/bin/ash', '-eo', 'pipefail', '-c'],
    });
    expect(syntaxErrorOf('FROM a\nSHELL /bin/sh -c').message).toMatch(/JSON form/);
    expect(first('FROM a\nVOLUME /a /b')).toMatchObject({ paths: ['/a', '/b'] });
    expect(first('FROM a\nVOLUME ["/a b"]')).toMatchObject({ paths: ['/a b'], json: true });
    expect(first('FROM a\nEXPOSE 80/tcp 53/udp')).toMatchObject({ ports: ['80/tcp', '53/udp'] });
    expect(first('FROM a\nWORKDIR /a b')).toMatchObject({ value: '/a b' });
    expect(syntaxErrorOf('FROM a\nUSER a b').message).toMatch(/exactly one argument/);
  });
});

describe('parseDockerfile: errors name line and column', () => {
  it('unknown instruction', () => {
    const err = syntaxErrorOf('FROM a\n\n  FROB x');
    expect(err).toMatchObject({ code: 'ESYNTAX', line: 3, column: 3 });
    expect(err.message).toBe('Dockerfile:3:3: unknown instruction: FROB');
    expect(syntaxErrorOf('FROM a\nfoo bar').message).toBe('Dockerfile:2:1: unknown instruction: foo');
  });

  it('instructions before FROM, bad FROM, missing arguments', () => {
    expect(syntaxErrorOf('RUN x\nFROM a')).toMatchObject({ line: 1, column: 1 });
    expect(syntaxErrorOf('FROM a b').message).toMatch(/one or three arguments/);
    expect(syntaxErrorOf('FROM a AS 1x').message).toMatch(/invalid name for build stage/);
    expect(syntaxErrorOf('FROM a\nRUN')).toMatchObject({ line: 2 });
    expect(syntaxErrorOf('# only a comment\n')).toMatchObject({ code: 'ESYNTAX' });
    expect(syntaxErrorOf('FROM a\nRUN --mount=type=cache,target=/x true')).toMatchObject({
      code: 'EUNSUPPORTED',
    });
  });
});

describe('parseWords', () => {
  it('keeps quoted whitespace and escapes inside words', () => {
    expect(parseWords('a="b c" d=e\\ f \'g h\'', '\\')).toEqual(['a="b c"', 'd=e\\ f', "'g h'"]);
    expect(parseWords('x=""', '\\')).toEqual(['x=""']);
    expect(parseWords('  ', '\\')).toEqual([]);
  });
});
