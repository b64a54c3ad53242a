// .dockerignore with Docker's rules (moby/patternmatcher): one pattern per line, `#` comments,
// `!` exceptions, the last matching pattern wins, `**` spans directories, a leading `/` and a trailing
// `/` mean nothing (paths are relative to the context root), and a pattern that matches a directory
// also matches everything under it.
import { posix } from 'node:path';

interface Pattern {
  source: string;
  exclusion: boolean;
  re: RegExp;
}

/** A glob as Docker understands it → an anchored regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          out += '(?:.*/)?'; // `**/` matches zero or more directories
        } else out += '.*';
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        let cls = glob.slice(i + 1, end);
        if (cls.startsWith('!') || cls.startsWith('^')) cls = `^${cls.slice(1)}`;
        out += `[${cls.replace(/\\(?!\])/g, '\\\\')}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < glob.length) out += escapeRegex(glob[++i]!);
    else out += escapeRegex(ch);
  }
  return new RegExp(`^${out}$`);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Docker's filepath.Clean of a pattern, without a leading `/`. */
function cleanPattern(p: string): string {
  let c = posix.normalize(p);
  while (c.startsWith('/')) c = c.slice(1);
  if (c.endsWith('/') && c.length > 1) c = c.slice(0, -1);
  return c === '' ? '.' : c;
}

export class DockerIgnore {
  readonly patterns: readonly Pattern[];
  readonly hasExceptions: boolean;
  readonly lines: readonly string[];

  constructor(lines: string[]) {
    this.lines = lines;
    const patterns: Pattern[] = [];
    for (const line of lines) {
      let p = line.trim();
      if (p === '' || p.startsWith('#')) continue;
      let exclusion = false;
      if (p.startsWith('!')) {
        exclusion = true;
        p = p.slice(1).trim();
        if (p === '') continue;
      }
      const source = cleanPattern(p);
      patterns.push({ source, exclusion, re: globToRegExp(source) });
    }
    this.patterns = patterns;
    this.hasExceptions = patterns.some((p) => p.exclusion);
  }

  /** These rules plus more patterns after them (COPY --exclude). */
  with(patterns: readonly string[]): DockerIgnore {
    return new DockerIgnore([...this.lines, ...patterns]);
  }

  /** Parses the text of a .dockerignore file. */
  static parse(text: string): DockerIgnore {
    return new DockerIgnore(text.split(/\r?\n/));
  }

  /** True when `relPath` (relative to the context root, `/`-separated) is excluded from the context. */
  ignores(relPath: string): boolean {
    const path = cleanPattern(relPath);
    if (path === '.') return false;
    const parents: string[] = [];
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) parents.push(parts.slice(0, i).join('/'));
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue; // only a pattern that could flip the answer matters
      const hit = p.re.test(path) || parents.some((parent) => p.re.test(parent));
      if (hit) matched = !p.exclusion;
    }
    return matched;
  }

  /**
   * Whether a walk must look inside an ignored directory: only when an exception pattern could
   * re-include something below it.
   */
  mayIncludeBelow(dirRelPath: string): boolean {
    if (!this.hasExceptions) return false;
    const dir = cleanPattern(dirRelPath);
    return this.patterns.some((p) => {
      if (!p.exclusion) return false;
      // a literal prefix of the exception that lies outside `dir` cannot match below it
      const literal = p.source.split(/[*?[\\]/)[0]!;
      return literal.startsWith(`${dir}/`) || `${dir}/`.startsWith(literal) || literal === '';
    });
  }
}
