// The Dockerfile's line grammar (buildkit's frontend/dockerfile/parser): parser directives at the top,
// comments, line continuations with the escape character, heredocs after RUN/COPY/ADD lines, and the
// split of each instruction into keyword, --flags and arguments. What the arguments mean is decided
// in instructions.ts.
import { syntaxError } from '../errors.js';

export interface Heredoc {
  /** the terminator word (quotes removed) */
  name: string;
  /** the body: every line up to the terminator, each ending in \n (`<<-` strips leading tabs) */
  content: string;
  /** false when the terminator was quoted (`<<"EOF"`): no variable expansion of the body */
  expand: boolean;
  /** `<<-`: leading tabs were stripped */
  chomp: boolean;
  /** the file descriptor written before `<<` (`3<<EOF`), if any */
  fd?: number;
}

/** One instruction as written: keyword, leading --flags and the rest of the (joined) line. */
export interface RawInstruction {
  /** upper-case keyword: RUN, COPY ... */
  keyword: string;
  /** the flags before the arguments, as written (`--from=build`) */
  flags: string[];
  /** the arguments after keyword and flags, continuation lines joined */
  args: string;
  /** keyword + arguments as one line (continuations joined) */
  original: string;
  heredocs: Heredoc[];
  /** 1-based line of the keyword, column of the keyword, column where `args` starts, last line */
  line: number;
  column: number;
  argsColumn: number;
  endLine: number;
}

export interface ParsedLines {
  /** the escape character in force (`\` or a backtick) */
  escape: string;
  /** parser directives found at the top (`syntax`, `escape`, `check` ...), names lower-case */
  directives: Record<string, string>;
  instructions: RawInstruction[];
  warnings: string[];
}

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
const HEREDOC_CAPABLE = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC_WORD = /^(\d*)<<(-?)(.*)$/;

function isComment(line: string): boolean {
  return /^[ \t]*#/.test(line);
}

function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

/** `RUN echo a \` → [`RUN echo a `, false]: strips the escape (and trailing blanks) of a continued line. */
function trimContinuation(line: string, escapeChar: string): [string, boolean] {
  const esc = escapeChar === '\\' ? '\\\\' : '`';
  const re = new RegExp(`${esc}[ \\t]*$`);
  if (re.test(line)) return [line.replace(re, ''), false];
  return [line, true];
}

/**
 * Splits the joined line of an instruction into words the way Docker finds heredoc markers: at
 * unquoted whitespace, keeping quotes so `"<<EOF"` is not a heredoc.
 */
function shellWordsKeepQuotes(line: string, escapeChar: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      word += ch;
      if (ch === escapeChar && quote === '"' && i + 1 < line.length) word += line[++i];
      else if (ch === quote) quote = '';
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === "'" || ch === '"') quote = ch;
    if (ch === escapeChar && i + 1 < line.length) {
      word += ch + line[++i];
      continue;
    }
    word += ch;
  }
  if (inWord) words.push(word);
  return words;
}

/** The heredoc a word opens (`<<EOF`, `<<-"EOF"`, `3<<EOF`), if it is one; `name` may follow as its own word. */
export function parseHeredocWord(
  word: string,
  next?: string,
  escapeChar = '\\',
): { heredoc: Omit<Heredoc, 'content'>; usedNext: boolean } | undefined {
  const m = HEREDOC_WORD.exec(word);
  if (!m) return undefined;
  let rawName = m[3]!;
  let usedNext = false;
  if (rawName === '') {
    // `<< EOF`: buildkit takes the next word as the terminator
    if (next === undefined) return undefined;
    rawName = next;
    usedNext = true;
  }
  if (rawName.startsWith('<')) return undefined;
  // the terminator loses its quotes and escapes like a shell word; any quote turns expansion off
  let name = '';
  let quote = '';
  let quoted = false;
  for (let i = 0; i < rawName.length; i++) {
    const ch = rawName[i]!;
    if (quote) {
      if (ch === quote) quote = '';
      else name += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      quoted = true;
      continue;
    }
    if (ch === escapeChar && i + 1 < rawName.length) {
      name += rawName[++i];
      continue;
    }
    name += ch;
  }
  if (quote) throw new Error(`unterminated quote in heredoc terminator ${rawName}`);
  if (name === '') return undefined;
  const heredoc: Omit<Heredoc, 'content'> = { name, expand: !quoted, chomp: m[2] === '-' };
  if (m[1]) heredoc.fd = Number(m[1]);
  return { heredoc, usedNext };
}

/** Splits `args` into leading `--flag[=value]` words (quotes inside a value kept together) and the rest. */
function splitFlags(args: string): { flags: string[]; rest: string; consumed: number } {
  const flags: string[] = [];
  let i = 0;
  for (;;) {
    while (i < args.length && /\s/.test(args[i]!)) i++;
    if (!args.startsWith('--', i)) break;
    let j = i;
    let quote = '';
    while (j < args.length) {
      const ch = args[j]!;
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (/\s/.test(ch)) break;
      j++;
    }
    const flag = args.slice(i, j);
    if (flag === '--') {
      i = j;
      break;
    }
    flags.push(flag);
    i = j;
  }
  while (i < args.length && /\s/.test(args[i]!)) i++;
  return { flags, rest: args.slice(i).trim(), consumed: i };
}

/**
 * Splits a Dockerfile into raw instructions. Errors (bad escape directive, unterminated heredoc,
 * a line that is not an instruction) are BuildErrors with code ESYNTAX naming line and column.
 */
export function parseLines(text: string, opts: { escape?: string; file?: string } = {}): ParsedLines {
  const file = opts.file ?? 'Dockerfile';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const directives: Record<string, string> = {};
  const warnings: string[] = [];
  let escapeChar = opts.escape ?? '\\';
  let directivesDone = false;
  const instructions: RawInstruction[] = [];

  let i = 0;
  while (i < lines.length) {
    const lineNo = i + 1;
    const rawLine = lines[i]!;
    i++;
    if (!directivesDone) {
      const m = DIRECTIVE.exec(rawLine);
      if (m) {
        const key = m[1]!.toLowerCase();
        const value = m[2]!;
        if (key in directives) {
          if (key === 'escape')
            throw syntaxError('only one escape parser directive can be used', lineNo, 1, file);
          // Docker ignores later copies of other directives
        } else {
          directives[key] = value;
          if (key === 'escape') {
            if (value !== '\\' && value !== '`') {
              throw syntaxError(`invalid escape token '${value}' does not match ^[\\\\\`]$`, lineNo, 1, file);
            }
            escapeChar = value;
          }
          if (key === 'syntax')
            warnings.push(`syntax directive "${value}" ignored: berth parses Dockerfiles itself`);
        }
        continue;
      }
      directivesDone = true;
    }
    if (isComment(rawLine) || isBlank(rawLine)) continue;

    const leading = /^[ \t]*/.exec(rawLine)![0].length;
    let [line, ended] = trimContinuation(rawLine.slice(leading), escapeChar);
    let endLine = lineNo;
    let emptyContinuation = false;
    while (!ended && i < lines.length) {
      const next = lines[i]!;
      i++;
      endLine = i;
      if (isComment(next)) continue;
      if (isBlank(next)) {
        emptyContinuation = true;
        continue;
      }
      const [part, end] = trimContinuation(next, escapeChar);
      line += part;
      ended = end;
    }
    if (emptyContinuation)
      warnings.push(`${file}:${lineNo}: empty continuation line (deprecated; Docker warns too)`);
    if (line.trim() === '') continue;

    const km = /^(\S+)(\s*)/.exec(line)!;
    const keyword = km[1]!.toUpperCase();
    const afterKeyword = line.slice(km[0].length);
    const { flags, rest, consumed } = splitFlags(afterKeyword);
    const raw: RawInstruction = {
      keyword,
      flags,
      args: rest,
      original: line.trim(),
      heredocs: [],
      line: lineNo,
      column: leading + 1,
      argsColumn: leading + km[0].length + consumed + 1,
      endLine,
    };

    // ONBUILD RUN <<EOF carries heredocs for its trigger too
    const heredocOwner = keyword === 'ONBUILD' ? /^\s*(\S+)/.exec(rest)?.[1]?.toUpperCase() : keyword;
    if (heredocOwner && HEREDOC_CAPABLE.has(heredocOwner) && line.includes('<<')) {
      const words = shellWordsKeepQuotes(line, escapeChar);
      for (let w = 0; w < words.length; w++) {
        let parsed: ReturnType<typeof parseHeredocWord>;
        try {
          parsed = parseHeredocWord(words[w]!, words[w + 1], escapeChar);
        } catch (err) {
          throw syntaxError((err as Error).message, lineNo, leading + 1, file);
        }
        if (!parsed) continue;
        if (parsed.usedNext) w++;
        const h = parsed.heredoc;
        let content = '';
        let terminated = false;
        while (i < lines.length) {
          let body = lines[i]!;
          i++;
          endLine = i;
          if (h.chomp) body = body.replace(/^\t+/, '');
          if (body === h.name) {
            terminated = true;
            break;
          }
          content += `${body}\n`;
        }
        if (!terminated) {
          throw syntaxError(`unterminated heredoc "${h.name}" (started on line ${lineNo})`, endLine, 1, file);
        }
        raw.heredocs.push({ ...h, content });
      }
      raw.endLine = endLine;
    }
    instructions.push(raw);
  }
  return { escape: escapeChar, directives, instructions, warnings };
}
