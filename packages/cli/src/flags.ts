// Docker's flag syntax (spf13/pflag): --name=value, --name value, -n value, -nvalue, combined short
// booleans (-it, -dit, -itp 80), --bool=false, repeatable list flags, and for run/exec/create flags end
// at the first positional word (the image or container), so the container's command keeps its own flags.
// Written here rather than with a generic parser: none of them stops at the first positional word
// the way pflag's SetInterspersed(false) does, and the help text must be docker's layout.
import { UsageError } from './errors.js';

export type FlagKind = 'bool' | 'string' | 'list' | 'int';

export interface FlagSpec {
  long: string;
  short?: string;
  kind: FlagKind;
  /** The value's name in help (docker: string, list, int, bytes, decimal, filter, mount …). */
  type?: string;
  desc: string;
  default?: string | number | boolean;
  hidden?: boolean;
}

export type FlagValue = string | number | boolean | string[];
export type FlagValues = Record<string, FlagValue | undefined>;

export interface Parsed {
  flags: FlagValues;
  args: string[];
  help: boolean;
}

function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  return undefined;
}

/**
 * Parses argv for one command. `interspersed: false` stops at the first positional argument.
 * `command` names the command in error messages ("docker run").
 */
export function parseFlags(
  argv: string[],
  specs: FlagSpec[],
  opts: { interspersed: boolean; command: string },
): Parsed {
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags: FlagValues = {};
  for (const s of specs) if (s.default !== undefined) flags[s.long] = s.kind === 'list' ? [] : s.default;
  for (const s of specs) if (s.kind === 'list' && flags[s.long] === undefined) flags[s.long] = [];
  const args: string[] = [];
  let help = false;

  const set = (spec: FlagSpec, raw: string | undefined, shown: string): void => {
    const name = spec.long;
    if (spec.kind === 'bool') {
      const b = raw === undefined ? true : parseBool(raw);
      if (b === undefined) {
        throw new UsageError(
          `invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`,
          opts.command,
        );
      }
      flags[name] = b;
      return;
    }
    const value = raw!;
    if (spec.kind === 'int') {
      if (!/^-?\d+$/.test(value)) {
        throw new UsageError(
          `invalid argument "${value}" for "${shown}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`,
          opts.command,
        );
      }
      flags[name] = Number(value);
    } else if (spec.kind === 'list') {
      const cur = flags[name];
      flags[name] = [...(Array.isArray(cur) ? cur : []), value];
    } else flags[name] = value;
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (name === 'help') {
        help = true;
        continue;
      }
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`, opts.command);
      if (eq >= 0) set(spec, a.slice(eq + 1), `--${name}`);
      else if (spec.kind === 'bool') set(spec, undefined, `--${name}`);
      else {
        if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`, opts.command);
        set(spec, argv[++i], `--${name}`);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // a run of short flags: booleans, then at most one that takes a value (the rest, or the next word)
      for (let k = 1; k < a.length; k++) {
        const c = a[k]!;
        const spec = byShort.get(c);
        if (!spec) {
          if (c === 'h' && !byShort.has('h')) {
            help = true;
            continue;
          }
          throw new UsageError(`unknown shorthand flag: '${c}' in ${a}`, opts.command);
        }
        const shown = `-${c}, --${spec.long}`;
        if (spec.kind === 'bool') {
          if (a[k + 1] === '=') {
            set(spec, a.slice(k + 2), shown);
            break;
          }
          set(spec, undefined, shown);
          continue;
        }
        let rest = a.slice(k + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        if (rest !== '') set(spec, rest, shown);
        else {
          if (i + 1 >= argv.length)
            throw new UsageError(`flag needs an argument: '${c}' in -${c}`, opts.command);
          set(spec, argv[++i], shown);
        }
        break;
      }
      continue;
    }
    if (!opts.interspersed) {
      args.push(...argv.slice(i));
      break;
    }
    args.push(a);
  }
  return { flags, args, help };
}

/** Typed getters over parsed flags. */
export class Flags {
  constructor(readonly values: FlagValues) {}
  bool(name: string): boolean {
    return this.values[name] === true;
  }
  str(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }
  int(name: string): number | undefined {
    const v = this.values[name];
    return typeof v === 'number' ? v : undefined;
  }
  list(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? v : [];
  }
  /** True when the user gave the flag (not only its default). */
  has(name: string): boolean {
    return this.values[name] !== undefined;
  }
}
