// Docker's word expansion for Dockerfile arguments (buildkit's frontend/dockerfile/shell): quotes,
// the escape character and $VAR / ${VAR} / ${VAR:-word} / ${VAR:+word} / ${VAR:?msg} / ${VAR#pat} ...
// Written here because no TS library follows Docker's rules (it is not POSIX sh: no command
// substitution, no globbing, escapes inside double quotes only before " $ and the escape char).

export interface LexOptions {
  /** the escape character: `\` (default) or a backtick (`# escape=\``) */
  escape?: string;
  /** leave quotes and escapes as they are (heredoc bodies); only $ is expanded */
  skipQuotes?: boolean;
}

/** Variables visible to an expansion: value `undefined` means declared but unset. */
export type Vars = ReadonlyMap<string, string | undefined>;

export class LexError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the word where the problem was seen */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'LexError';
  }
}

const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);
const isNameChar = (ch: string) => /[\p{L}\p{N}_]/u.test(ch);
const isDigit = (ch: string) => ch >= '0' && ch <= '9';
const isSpace = (ch: string) => /\s/.test(ch);

/** Collects output text and, for `expandWords`, where unquoted whitespace splits it into words. */
class Words {
  readonly words: string[] = [];
  private word = '';
  private inWord = false;

  addChar(ch: string): void {
    if (isSpace(ch)) {
      if (this.inWord) this.words.push(this.word);
      this.word = '';
      this.inWord = false;
      return;
    }
    this.addRawChar(ch);
  }
  addRawChar(ch: string): void {
    this.word += ch;
    this.inWord = true;
  }
  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }
  addRawString(s: string): void {
    this.word += s;
    this.inWord = true;
  }
  finish(): string[] {
    if (this.inWord) this.words.push(this.word);
    this.word = '';
    this.inWord = false;
    return this.words;
  }
}

class Lexer {
  private pos = 0;
  private readonly chars: string[];
  private readonly escape: string;
  private readonly skipQuotes: boolean;
  /** names whose values were used (Docker reports unused build args) */
  readonly used = new Set<string>();

  constructor(
    text: string,
    private readonly vars: Vars,
    opts: LexOptions,
  ) {
    this.chars = [...text];
    this.escape = opts.escape ?? '\\';
    this.skipQuotes = opts.skipQuotes ?? false;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }
  private next(): string | undefined {
    return this.chars[this.pos++];
  }

  run(): { text: string; words: string[] } {
    const r = this.processStopOn(undefined, this.skipQuotes);
    return { text: r.text, words: r.words };
  }

  private processStopOn(stop: string | undefined, rawEscapes: boolean): { text: string; words: string[] } {
    let text = '';
    const words = new Words();
    while (this.peek() !== undefined) {
      const ch = this.peek()!;
      if (stop !== undefined && ch === stop) {
        this.next();
        return { text, words: words.finish() };
      }
      if (ch === '$') {
        const v = this.processDollar();
        text += v;
        words.addString(v);
        continue;
      }
      if (!this.skipQuotes && (ch === "'" || ch === '"')) {
        const v = ch === "'" ? this.processSingleQuote() : this.processDoubleQuote();
        text += v;
        words.addRawString(v);
        continue;
      }
      this.next();
      if (ch === this.escape) {
        if (rawEscapes) {
          words.addRawChar(ch);
          text += ch;
        }
        const escaped = this.next();
        if (escaped === undefined) break; // an escape at the end of a word is dropped
        words.addRawChar(escaped);
        text += escaped;
        continue;
      }
      words.addChar(ch);
      text += ch;
    }
    if (stop !== undefined) {
      throw new LexError(`unexpected end of statement while looking for matching ${stop}`, this.pos);
    }
    return { text, words: words.finish() };
  }

  private processSingleQuote(): string {
    const start = this.pos;
    this.next();
    let out = '';
    for (;;) {
      const ch = this.next();
      if (ch === undefined) {
        throw new LexError('unexpected end of statement while looking for matching single-quote', start);
      }
      if (ch === "'") return out;
      out += ch;
    }
  }

  private processDoubleQuote(): string {
    const start = this.pos;
    this.next();
    let out = '';
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) {
        throw new LexError('unexpected end of statement while looking for matching double-quote', start);
      }
      if (ch === '"') {
        this.next();
        return out;
      }
      if (ch === '$') {
        out += this.processDollar();
        continue;
      }
      this.next();
      if (ch === this.escape) {
        const n = this.peek();
        if (n === undefined) continue;
        // only ", $ and the escape character can be escaped; other escapes stay as written
        if (n === '"' || n === '$' || n === this.escape) {
          out += this.next();
          continue;
        }
      }
      out += ch;
    }
  }

  private processName(): string {
    let name = '';
    while (this.peek() !== undefined) {
      const ch = this.peek()!;
      if (name === '' && isDigit(ch)) {
        while (this.peek() !== undefined && isDigit(this.peek()!)) name += this.next();
        return name;
      }
      if (name === '' && SPECIAL_PARAMS.has(ch)) return this.next()!;
      if (!isNameChar(ch)) break;
      name += this.next();
    }
    return name;
  }

  private get(name: string): { value: string; set: boolean } {
    this.used.add(name);
    if (!this.vars.has(name)) return { value: '', set: false };
    const v = this.vars.get(name);
    return v === undefined ? { value: '', set: false } : { value: v, set: true };
  }

  private processDollar(): string {
    const start = this.pos;
    this.next();
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      return this.get(name).value;
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw new LexError("syntax error: missing '}'", start);
    if (first === '{' || first === '}' || first === ':')
      throw new LexError('syntax error: bad substitution', start);
    const name = this.processName();
    let ch = this.next();
    if (ch === undefined) throw new LexError("syntax error: missing '}'", start);
    if (ch === '}') return this.get(name).value;
    let modifier = ch;
    let nullIsUnset = false;
    if (ch === ':') {
      nullIsUnset = true;
      ch = this.next();
      if (ch === undefined) throw new LexError("syntax error: missing '}'", start);
      modifier += ch;
    }
    if (ch === '+' || ch === '-' || ch === '?' || ch === '#' || ch === '%') {
      if (nullIsUnset && (ch === '#' || ch === '%')) {
        throw new LexError(`unsupported modifier (${modifier}) in substitution`, start);
      }
      let word: string;
      try {
        word = this.processStopOn('}', ch === '#' || ch === '%').text;
      } catch (err) {
        if (this.peek() === undefined) throw new LexError("syntax error: missing '}'", start);
        throw err;
      }
      const { value, set } = this.get(name);
      const empty = !set || (nullIsUnset && value === '');
      switch (ch) {
        case '-':
          return empty ? word : value;
        case '+':
          return empty ? '' : word;
        case '?':
          if (!set) throw new LexError(`${name}: ${word || 'is not allowed to be unset'}`, start);
          if (nullIsUnset && value === '')
            throw new LexError(`${name}: ${word || 'is not allowed to be empty'}`, start);
          return value;
        default: {
          const greedy = word.startsWith(ch);
          const pattern = greedy ? word.slice(1) : word;
          return ch === '%' ? trimSuffix(pattern, value, greedy) : trimPrefix(pattern, value, greedy);
        }
      }
    }
    if (ch === '/') {
      const all = this.peek() === '/';
      if (all) this.next();
      const pattern = this.processStopOn('/', true).text;
      const replacement = this.processStopOn('}', true).text;
      const { value } = this.get(name);
      return replacePattern(value, pattern, replacement, all);
    }
    throw new LexError(`unsupported modifier (${modifier}) in substitution`, start);
  }
}

/**
 * A ${VAR#pattern} pattern as a regular expression source: `*` any run, `?` any one character, the
 * escape character makes the next one literal; everything else (brackets too) is literal, as buildkit.
 */
function patternToRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') out += '[\\s\\S]*';
    else if (ch === '?') out += '[\\s\\S]';
    else if (ch === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i]!);
    else out += escapeRegex(ch);
  }
  return out;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const re = new RegExp(`^(?:${patternToRegex(pattern)})$`);
  const lengths = greedy ? range(value.length, -1) : range(0, value.length + 1);
  for (const n of lengths) if (re.test(value.slice(0, n))) return value.slice(n);
  return value;
}

function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  const re = new RegExp(`^(?:${patternToRegex(pattern)})$`);
  const starts = greedy ? range(0, value.length + 1) : range(value.length, -1);
  for (const s of starts) if (re.test(value.slice(s))) return value.slice(0, s);
  return value;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  if (from <= to) for (let i = from; i < to; i++) out.push(i);
  else for (let i = from; i > to; i--) out.push(i);
  return out;
}

function replacePattern(value: string, pattern: string, replacement: string, all: boolean): string {
  const re = new RegExp(patternToRegex(pattern), all ? 'g' : '');
  return value.replace(re, () => replacement);
}

/** Expands one word: quotes removed, escapes applied, variables substituted. */
export function expandWord(word: string, vars: Vars, opts: LexOptions = {}): string {
  return new Lexer(word, vars, opts).run().text;
}

/** Like expandWord, and also the names of the variables the word referred to. */
export function expandWordWithMatches(
  word: string,
  vars: Vars,
  opts: LexOptions = {},
): { text: string; used: Set<string> } {
  const lexer = new Lexer(word, vars, opts);
  return { text: lexer.run().text, used: lexer.used };
}

/** Expands and splits at unquoted whitespace (also whitespace that came from a variable's value). */
export function expandWords(word: string, vars: Vars, opts: LexOptions = {}): string[] {
  return new Lexer(word, vars, opts).run().words;
}
