// containerd's filter syntax, the part its clients use: each string is a list of conditions joined
// by ',' (all must hold); the strings of the array are alternatives (any may hold). A condition is
// `field`, `field==value`, `field!=value` or `field~=regexp`; a field is a dot path whose parts may be
// quoted ("labels."com.example.x"==y"), a value may be quoted too.
import { invalid } from './errors.js';

type Op = 'present' | '==' | '!=' | '~=';
interface Condition {
  path: string[];
  op: Op;
  value: string;
  re?: RegExp;
}

/** A parsed filter: call it with an object (a field path resolves to a string or undefined). */
export type Matcher = (lookup: (path: string[]) => string | undefined) => boolean;

function readToken(s: string, i: number, stops: string): [string, number] {
  if (s[i] === '"') {
    let out = '';
    let j = i + 1;
    for (; j < s.length && s[j] !== '"'; j++) {
      if (s[j] === '\\' && j + 1 < s.length) j++;
      out += s[j];
    }
    if (j >= s.length) throw invalid('filters', `unterminated quote in ${JSON.stringify(s)}`);
    return [out, j + 1];
  }
  let j = i;
  while (j < s.length && !stops.includes(s[j]!)) j++;
  return [s.slice(i, j), j];
}

function parseOne(s: string): Condition[] {
  const out: Condition[] = [];
  let i = 0;
  while (i < s.length) {
    const path: string[] = [];
    for (;;) {
      const [part, j] = readToken(s, i, '.=!~,');
      if (part === '') throw invalid('filters', `missing field name at ${i} in ${JSON.stringify(s)}`);
      path.push(part.trim());
      i = j;
      if (s[i] === '.') {
        i++;
        continue;
      }
      break;
    }
    let op: Op = 'present';
    let value = '';
    const two = s.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '~=') {
      op = two;
      [value, i] = readToken(s, i + 2, ',');
    }
    if (i < s.length && s[i] !== ',')
      throw invalid('filters', `unexpected ${JSON.stringify(s[i])} at ${i} in ${JSON.stringify(s)}`);
    i++;
    const cond: Condition = { path, op, value };
    if (op === '~=') {
      try {
        cond.re = new RegExp(value);
      } catch {
        throw invalid('filters', `bad regular expression ${JSON.stringify(value)}`);
      }
    }
    out.push(cond);
  }
  return out;
}

/** Parses the filters once; an empty list matches everything. INVALID_ARGUMENT for bad syntax. */
export function parseFilters(filters: string[] | undefined): Matcher {
  const alternatives = (filters ?? []).filter((f) => f.trim() !== '').map(parseOne);
  if (alternatives.length === 0) return () => true;
  return (lookup) =>
    alternatives.some((conds) =>
      conds.every((c) => {
        const v = lookup(c.path);
        switch (c.op) {
          case 'present':
            return v !== undefined;
          case '==':
            return v === c.value;
          case '!=':
            return v !== c.value;
          default:
            return v !== undefined && c.re!.test(v);
        }
      }),
    );
}

/** Looks a path up in a plain object: nested keys, with the rest of the path joined for label maps. */
export function lookupIn(obj: unknown): (path: string[]) => string | undefined {
  return (path) => {
    let cur: unknown = obj;
    for (let i = 0; i < path.length; i++) {
      if (cur === null || typeof cur !== 'object') return undefined;
      const rec = cur as Record<string, unknown>;
      const key = path[i]!;
      if (key in rec) {
        cur = rec[key];
        continue;
      }
      // `labels.com.example.x` without quotes: the rest of the path is one label key
      const rest = path.slice(i).join('.');
      cur = rest in rec ? rec[rest] : undefined;
      break;
    }
    if (cur === undefined || cur === null) return undefined;
    return typeof cur === 'string' ? cur : typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
  };
}
