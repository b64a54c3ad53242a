// What each instruction's arguments mean (buildkit's dispatch table of line parsers plus
// instructions/parse.go): JSON or shell forms, name=value lists, flags each instruction accepts.
// Arguments stay unexpanded here: variables are substituted when the step runs (ARG/ENV scoping).
import { BuildError, syntaxError } from '../errors.js';
import { type Heredoc, type ParsedLines, parseLines, type RawInstruction } from './parser.js';

/** A command in JSON (exec) form, or shell form that the image's SHELL runs. */
export type CommandForm = { form: 'exec'; args: string[] } | { form: 'shell'; command: string };

export interface KeyValue {
  key: string;
  /** unexpanded (quotes still in it) */
  value: string;
}

interface Base {
  line: number;
  column: number;
  endLine: number;
  /** the instruction as written, continuation lines joined (`RUN apt-get update`) */
  original: string;
}

export interface FromInstruction extends Base {
  kind: 'FROM';
  image: string;
  as?: string;
  platform?: string;
}
export interface RunInstruction extends Base {
  kind: 'RUN';
  command: CommandForm;
  heredocs: Heredoc[];
  network?: string;
}
export interface CmdInstruction extends Base {
  kind: 'CMD' | 'ENTRYPOINT';
  command: CommandForm;
}
export interface ShellInstruction extends Base {
  kind: 'SHELL';
  shell: string[];
}
export interface CopyInstruction extends Base {
  kind: 'COPY' | 'ADD';
  /** source words, unexpanded; `<<EOF` words name heredocs */
  sources: string[];
  dest: string;
  /** true when written in JSON form (no quote processing on expansion) */
  json: boolean;
  heredocs: Heredoc[];
  from?: string;
  chown?: string;
  chmod?: string;
  link?: boolean;
  exclude: string[];
  checksum?: string;
}
export interface EnvInstruction extends Base {
  kind: 'ENV' | 'LABEL';
  pairs: KeyValue[];
}
export interface ArgInstruction extends Base {
  kind: 'ARG';
  args: { name: string; value?: string }[];
}
export interface ValueInstruction extends Base {
  kind: 'WORKDIR' | 'USER' | 'STOPSIGNAL' | 'MAINTAINER';
  value: string;
}
export interface ExposeInstruction extends Base {
  kind: 'EXPOSE';
  ports: string[];
}
export interface VolumeInstruction extends Base {
  kind: 'VOLUME';
  paths: string[];
  json: boolean;
}
export interface HealthcheckInstruction extends Base {
  kind: 'HEALTHCHECK';
  /** `HEALTHCHECK NONE` */
  none: boolean;
  command?: CommandForm;
  interval?: number;
  timeout?: number;
  startPeriod?: number;
  startInterval?: number;
  retries?: number;
}
export interface OnbuildInstruction extends Base {
  kind: 'ONBUILD';
  /** the trigger as written (`RUN echo hi`), stored in the image's OnBuild list */
  trigger: string;
  instruction: Instruction;
}

export type Instruction =
  | FromInstruction
  | RunInstruction
  | CmdInstruction
  | ShellInstruction
  | CopyInstruction
  | EnvInstruction
  | ArgInstruction
  | ValueInstruction
  | ExposeInstruction
  | VolumeInstruction
  | HealthcheckInstruction
  | OnbuildInstruction;

export interface Dockerfile {
  escape: string;
  directives: Record<string, string>;
  instructions: Instruction[];
  warnings: string[];
}

export interface ParseOptions {
  /** the escape character when the file has no `# escape=` directive */
  escape?: string;
  /** the name used in error messages (default `Dockerfile`) */
  file?: string;
}

const KNOWN = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

const FLAGS: Record<string, Record<string, 'string' | 'bool' | 'list'>> = {
  FROM: { platform: 'string' },
  RUN: { network: 'string', mount: 'list', security: 'string' },
  COPY: { from: 'string', chown: 'string', chmod: 'string', link: 'bool', parents: 'bool', exclude: 'list' },
  ADD: {
    chown: 'string',
    chmod: 'string',
    link: 'bool',
    'keep-git-dir': 'bool',
    checksum: 'string',
    exclude: 'list',
  },
  HEALTHCHECK: {
    interval: 'string',
    timeout: 'string',
    'start-period': 'string',
    'start-interval': 'string',
    retries: 'string',
  },
};

class Ctx {
  constructor(
    readonly raw: RawInstruction,
    readonly escapeChar: string,
    readonly file: string,
  ) {}
  error(message: string, column = this.raw.argsColumn): BuildError {
    return syntaxError(message, this.raw.line, column, this.file);
  }
  base(): Base {
    return {
      line: this.raw.line,
      column: this.raw.column,
      endLine: this.raw.endLine,
      original: this.raw.original,
    };
  }
}

type FlagValues = Map<string, string[]>;

function parseFlags(ctx: Ctx, flags: string[]): FlagValues {
  const allowed = FLAGS[ctx.raw.keyword] ?? {};
  const out: FlagValues = new Map();
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = (eq < 0 ? flag.slice(2) : flag.slice(2, eq)).toLowerCase();
    let value = eq < 0 ? undefined : flag.slice(eq + 1);
    const kind = allowed[name];
    if (!kind) throw ctx.error(`unknown flag: --${name}`, ctx.raw.column + ctx.raw.keyword.length + 1);
    if (kind === 'bool') {
      if (value !== undefined && value !== 'true' && value !== 'false') {
        throw ctx.error(`expecting boolean value for flag --${name}, not: ${value}`);
      }
      value = value ?? 'true';
    } else if (value === undefined) {
      throw ctx.error(`missing a value on flag: --${name}`);
    }
    // quotes around a flag's value are Docker's too: --chown="1:1"
    value = value.replace(/^(['"])(.*)\1$/, '$2');
    const list = out.get(name) ?? [];
    if (kind !== 'list' && list.length > 0) throw ctx.error(`duplicate flag specified: --${name}`);
    list.push(value);
    out.set(name, list);
  }
  return out;
}

/** `["a","b"]` → exec form; anything else (including broken JSON) → shell form, as Docker does. */
function parseMaybeJson(args: string): CommandForm {
  const t = args.trim();
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
        return { form: 'exec', args: v as string[] };
    } catch {
      // not JSON: Docker runs it as a shell command
    }
  }
  return { form: 'shell', command: t };
}

function parseJsonList(args: string): string[] | undefined {
  const t = args.trim();
  if (!t.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // falls back to whitespace words
  }
  return undefined;
}

function whitespaceWords(args: string): string[] {
  return args.split(/\s+/).filter((w) => w !== '');
}

/**
 * Docker's parseWords: whitespace-separated words where quotes (and the escape character) keep
 * whitespace inside a word; quotes and escapes stay in the word for the later expansion.
 */
export function parseWords(rest: string, escapeChar: string): string[] {
  const words: string[] = [];
  let word = '';
  let blankOk = false;
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  const chars = [...rest];
  for (let i = 0; i <= chars.length; i++) {
    const ch = chars[i];
    if (phase === 'spaces') {
      if (ch === undefined) break;
      if (/\s/.test(ch)) continue;
      phase = 'word';
    }
    if (ch === undefined) {
      if (blankOk || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (/\s/.test(ch)) {
        phase = 'spaces';
        if (blankOk || word.length > 0) words.push(word);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
        word += ch;
        continue;
      }
      if (ch === escapeChar) {
        if (i + 1 === chars.length) continue;
        word += ch + chars[++i];
        continue;
      }
      word += ch;
      continue;
    }
    // in a quote
    if (ch === quote) {
      phase = 'word';
      word += ch;
      continue;
    }
    if (ch === escapeChar && quote !== "'") {
      if (i + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      word += ch + chars[++i];
      continue;
    }
    word += ch;
  }
  return words;
}

/** ENV/LABEL: `k=v k2="v 2"` or the legacy `k the rest of the line`. */
function parseNameVal(ctx: Ctx, rest: string): KeyValue[] {
  const kw = ctx.raw.keyword;
  const words = parseWords(rest, ctx.escapeChar);
  if (words.length === 0) throw ctx.error(`${kw} requires at least one argument`);
  if (!words[0]!.includes('=')) {
    const m = /^(\S+)\s+([\s\S]+)$/.exec(rest.trim());
    if (!m) throw ctx.error(`${kw} must have two arguments`);
    return [{ key: m[1]!, value: m[2]! }];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) throw ctx.error(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    const key = w.slice(0, eq);
    if (key === '') throw ctx.error(`${kw} names can not be blank`);
    return { key, value: w.slice(eq + 1) };
  });
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's time.ParseDuration subset Docker accepts ("30s", "1m30s", "500ms") → milliseconds. */
function parseDuration(ctx: Ctx, flag: string, value: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  if (value === '0') return 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== value.length || value === '') throw ctx.error(`invalid duration for --${flag}: "${value}"`);
  if (total > 0 && total < 1) throw ctx.error(`--${flag} cannot be less than 1ms`);
  return total;
}

function decode(ctx: Ctx): Instruction {
  const raw = ctx.raw;
  const kw = raw.keyword;
  // Docker names the instruction as written (`unknown instruction: foo`)
  if (!KNOWN.has(kw)) throw ctx.error(`unknown instruction: ${raw.original.split(/\s/)[0]}`, raw.column);
  const flags = parseFlags(ctx, raw.flags);
  const flag = (name: string) => flags.get(name)?.[0];
  const args = raw.args;
  const base = ctx.base();
  const requireArgs = () => {
    if (args.trim() === '') throw ctx.error(`${kw} requires at least one argument`);
  };

  switch (kw) {
    case 'FROM': {
      const words = whitespaceWords(args);
      if (words.length !== 1 && !(words.length === 3 && words[1]!.toLowerCase() === 'as')) {
        throw ctx.error('FROM requires either one or three arguments');
      }
      const out: FromInstruction = { ...base, kind: 'FROM', image: words[0]! };
      if (words.length === 3) {
        const name = words[2]!;
        if (!/^[a-zA-Z][a-zA-Z0-9\-_.]*$/.test(name)) {
          throw ctx.error(
            `invalid name for build stage: "${name}", name can't start with a number or contain symbols`,
          );
        }
        out.as = name.toLowerCase();
      }
      const platform = flag('platform');
      if (platform !== undefined) out.platform = platform;
      return out;
    }
    case 'RUN': {
      requireArgs();
      if (flags.has('mount'))
        throw new BuildError(
          'EUNSUPPORTED',
          `${ctx.file}:${raw.line}: RUN --mount is not supported by berth's builder`,
          { line: raw.line, column: raw.argsColumn },
        );
      if (flags.has('security'))
        throw new BuildError(
          'EUNSUPPORTED',
          `${ctx.file}:${raw.line}: RUN --security is not supported by berth's builder`,
          { line: raw.line, column: raw.argsColumn },
        );
      const out: RunInstruction = {
        ...base,
        kind: 'RUN',
        command: parseMaybeJson(args),
        heredocs: raw.heredocs,
      };
      const network = flag('network');
      if (network !== undefined) {
        if (!['none', 'host', 'default'].includes(network))
          throw ctx.error(`RUN --network must be none, host or default, not "${network}"`);
        out.network = network;
      }
      return out;
    }
    case 'CMD':
    case 'ENTRYPOINT':
      // an empty CMD/ENTRYPOINT is allowed (it clears the inherited one)
      return { ...base, kind: kw, command: parseMaybeJson(args) };
    case 'SHELL': {
      const list = parseJsonList(args);
      if (!list) throw ctx.error('SHELL requires the arguments to be in JSON form');
      if (list.length === 0) throw ctx.error('SHELL requires at least one argument');
      return { ...base, kind: 'SHELL', shell: list };
    }
    case 'COPY':
    case 'ADD': {
      const json = parseJsonList(args);
      const words = json ?? whitespaceWords(args);
      if (words.length < 2)
        throw ctx.error(
          `${kw} requires at least two arguments, but only one was provided. Destination could not be determined.`,
        );
      const out: CopyInstruction = {
        ...base,
        kind: kw,
        sources: words.slice(0, -1),
        dest: words[words.length - 1]!,
        json: json !== undefined,
        heredocs: raw.heredocs,
        exclude: flags.get('exclude') ?? [],
      };
      for (const name of ['from', 'chown', 'chmod', 'checksum'] as const) {
        const v = flag(name);
        if (v !== undefined) out[name] = v;
      }
      if (flag('link') === 'true') out.link = true;
      return out;
    }
    case 'ENV':
    case 'LABEL':
      return { ...base, kind: kw, pairs: parseNameVal(ctx, args) };
    case 'ARG': {
      const words = parseWords(args, ctx.escapeChar);
      if (words.length === 0) throw ctx.error('ARG requires at least one argument');
      return {
        ...base,
        kind: 'ARG',
        args: words.map((w) => {
          const eq = w.indexOf('=');
          const name = eq < 0 ? w : w.slice(0, eq);
          if (name === '') throw ctx.error('ARG names can not be blank');
          return eq < 0 ? { name } : { name, value: w.slice(eq + 1) };
        }),
      };
    }
    case 'WORKDIR':
    case 'USER':
    case 'STOPSIGNAL':
    case 'MAINTAINER': {
      const value = args.trim();
      if (value === '') throw ctx.error(`${kw} requires exactly one argument`);
      if (kw !== 'WORKDIR' && kw !== 'MAINTAINER' && whitespaceWords(value).length !== 1) {
        throw ctx.error(`${kw} requires exactly one argument`);
      }
      return { ...base, kind: kw, value };
    }
    case 'EXPOSE': {
      requireArgs();
      return { ...base, kind: 'EXPOSE', ports: whitespaceWords(args) };
    }
    case 'VOLUME': {
      requireArgs();
      const json = parseJsonList(args);
      const paths = json ?? whitespaceWords(args);
      if (paths.some((p) => p.trim() === '')) throw ctx.error('VOLUME specified can not be an empty string');
      return { ...base, kind: 'VOLUME', paths, json: json !== undefined };
    }
    case 'HEALTHCHECK': {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(args.trim());
      if (!m) throw ctx.error('HEALTHCHECK requires at least one argument');
      const type = m[1]!.toUpperCase();
      if (type === 'NONE') {
        if (m[2] !== '' || raw.flags.length > 0) throw ctx.error('HEALTHCHECK NONE takes no arguments');
        return { ...base, kind: 'HEALTHCHECK', none: true };
      }
      if (type !== 'CMD') throw ctx.error(`Unknown type "${type}" in HEALTHCHECK (try CMD)`);
      if (m[2] === '') throw ctx.error('Missing command after HEALTHCHECK CMD');
      const out: HealthcheckInstruction = {
        ...base,
        kind: 'HEALTHCHECK',
        none: false,
        command: parseMaybeJson(m[2]!),
      };
      const dur = (name: string) => {
        const v = flag(name);
        return v === undefined ? undefined : parseDuration(ctx, name, v);
      };
      const interval = dur('interval');
      const timeout = dur('timeout');
      const startPeriod = dur('start-period');
      const startInterval = dur('start-interval');
      if (interval !== undefined) out.interval = interval;
      if (timeout !== undefined) out.timeout = timeout;
      if (startPeriod !== undefined) out.startPeriod = startPeriod;
      if (startInterval !== undefined) out.startInterval = startInterval;
      const retries = flag('retries');
      if (retries !== undefined) {
        if (!/^\d+$/.test(retries)) throw ctx.error(`invalid --retries: "${retries}"`);
        out.retries = Number(retries);
      }
      return out;
    }
    case 'ONBUILD': {
      requireArgs();
      const m = /^(\S+)(\s*)/.exec(args)!;
      const innerKw = m[1]!.toUpperCase();
      if (innerKw === 'ONBUILD') throw ctx.error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (innerKw === 'FROM' || innerKw === 'MAINTAINER')
        throw ctx.error(`${innerKw} isn't allowed as an ONBUILD trigger`);
      // the trigger is parsed as a line of its own (with the heredocs that followed it)
      const sub = parseLines(args, { escape: ctx.escapeChar, file: ctx.file }).instructions[0]!;
      const innerRaw: RawInstruction = {
        ...sub,
        heredocs: raw.heredocs,
        line: raw.line,
        column: raw.argsColumn,
        argsColumn: raw.argsColumn + (sub.argsColumn - 1),
        endLine: raw.endLine,
      };
      const instruction = decode(new Ctx(innerRaw, ctx.escapeChar, ctx.file));
      const trigger =
        raw.heredocs.length > 0
          ? `${args}\n${raw.heredocs.map((h) => `${h.content}${h.name}\n`).join('')}`
          : args;
      return { ...base, kind: 'ONBUILD', trigger, instruction };
    }
  }
  throw ctx.error(`unknown instruction: ${kw}`, raw.column);
}

/** Decodes one raw instruction (used for ONBUILD triggers read back from an image). */
export function decodeInstruction(raw: RawInstruction, escapeChar = '\\', file = 'Dockerfile'): Instruction {
  return decode(new Ctx(raw, escapeChar, file));
}

/**
 * Parses a Dockerfile into instructions with line/column, following Docker's grammar. Syntax errors
 * throw BuildError (code ESYNTAX) with `line` and `column`; the message starts `Dockerfile:<line>:<col>:`.
 */
export function parseDockerfile(text: string, opts: ParseOptions = {}): Dockerfile {
  const file = opts.file ?? 'Dockerfile';
  const lines: ParsedLines = parseLines(text, { escape: opts.escape, file });
  const instructions = lines.instructions.map((raw) => decode(new Ctx(raw, lines.escape, file)));
  if (instructions.length === 0)
    throw new BuildError('ESYNTAX', `${file}: the file has no instructions`, { line: 1, column: 1 });
  const first = instructions.find((i) => i.kind !== 'ARG');
  if (first && first.kind !== 'FROM') {
    throw syntaxError(
      `no build stage in current context: ${first.kind} before the first FROM`,
      first.line,
      first.column,
      file,
    );
  }
  if (!first) throw syntaxError('the file has no FROM instruction', instructions[0]!.line, 1, file);
  return { escape: lines.escape, directives: lines.directives, instructions, warnings: lines.warnings };
}
