// A subset of Go's text/template, enough for docker's --format: fields ({{.ID}}, {{.State.Status}},
// {{.Label "k"}}), pipelines ({{.Names | upper}}), docker's functions (json, join, split, upper,
// lower, title, truncate, pad, println) plus index, len, printf, eq/ne/lt/gt/not/and/or, and
// if/else/range/with/end. Parsed once, executed per row.

export class TemplateError extends Error {
  readonly code = 'TEMPLATE' as const;
}

type Operand =
  | { t: 'dot'; fields: string[] }
  | { t: 'root'; fields: string[] }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'ident'; name: string }
  | { t: 'paren'; pipe: Cmd[]; fields: string[] };
type Cmd = Operand[];
type Node =
  | { t: 'text'; v: string }
  | { t: 'out'; pipe: Cmd[] }
  | { t: 'if' | 'with'; pipe: Cmd[]; body: Node[]; alt: Node[] }
  | { t: 'range'; pipe: Cmd[]; body: Node[]; alt: Node[] };

function tokenizeAction(src: string): string[] {
  const toks: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' && c === '"' ? 2 : 1;
      if (j >= src.length) throw new TemplateError(`unterminated quoted string in {{${src}}}`);
      toks.push(src.slice(i, j + 1));
      i = j + 1;
    } else if (c === '(' || c === ')' || c === '|') {
      toks.push(c);
      i++;
    } else {
      let j = i;
      while (j < src.length && !/[\s()|]/.test(src[j]!)) j++;
      toks.push(src.slice(i, j));
      i = j;
    }
  }
  return toks;
}

function parseFields(s: string): string[] {
  return s.split('.').filter((x) => x !== '');
}

function parsePipeline(toks: string[], pos: { i: number }, stop?: string): Cmd[] {
  const cmds: Cmd[] = [];
  let cur: Cmd = [];
  while (pos.i < toks.length) {
    const t = toks[pos.i]!;
    if (t === stop) break;
    pos.i++;
    if (t === '|') {
      if (cur.length === 0) throw new TemplateError('missing command before |');
      cmds.push(cur);
      cur = [];
    } else if (t === '(') {
      const pipe = parsePipeline(toks, pos, ')');
      if (toks[pos.i] !== ')') throw new TemplateError('unclosed (');
      pos.i++;
      cur.push({ t: 'paren', pipe, fields: [] });
    } else if (t.startsWith('"')) {
      cur.push({ t: 'str', v: JSON.parse(t) as string });
    } else if (t.startsWith('`')) {
      cur.push({ t: 'str', v: t.slice(1, -1) });
    } else if (t === '.' || t.startsWith('.')) {
      cur.push({ t: 'dot', fields: parseFields(t) });
    } else if (t === '$' || t.startsWith('$.')) {
      cur.push({ t: 'root', fields: parseFields(t.slice(1)) });
    } else if (/^-?\d+(\.\d+)?$/.test(t)) {
      cur.push({ t: 'num', v: Number(t) });
    } else if (t === 'true' || t === 'false') {
      cur.push({ t: 'bool', v: t === 'true' });
    } else if (/^[A-Za-z_]\w*$/.test(t)) {
      cur.push({ t: 'ident', name: t });
    } else throw new TemplateError(`unexpected "${t}" in template`);
  }
  if (cur.length) cmds.push(cur);
  if (cmds.length === 0) throw new TemplateError('missing value for command');
  return cmds;
}

function parse(src: string): Node[] {
  const root: Node[] = [];
  const stack: { node: Node & { body: Node[]; alt: Node[] }; inElse: boolean }[] = [];
  const target = () => {
    const top = stack[stack.length - 1];
    return top ? (top.inElse ? top.node.alt : top.node.body) : root;
  };
  let i = 0;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) target().push({ t: 'text', v: text });
      break;
    }
    const close = src.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError('unclosed action');
    let inner = src.slice(open + 2, close);
    if (inner.startsWith('- ')) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(2);
    }
    if (inner.endsWith(' -')) {
      trimNext = true;
      inner = inner.slice(0, -2);
    }
    if (text) target().push({ t: 'text', v: text });
    i = close + 2;
    const toks = tokenizeAction(inner);
    const kw = toks[0];
    if (kw === undefined || kw.startsWith('/*')) continue;
    if (kw === 'if' || kw === 'range' || kw === 'with') {
      const node = { t: kw, pipe: parsePipeline(toks, { i: 1 }), body: [], alt: [] } as Node & {
        body: Node[];
        alt: Node[];
      };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (kw === 'else') {
      const top = stack[stack.length - 1];
      if (!top) throw new TemplateError('unexpected {{else}}');
      top.inElse = true;
    } else if (kw === 'end') {
      if (!stack.pop()) throw new TemplateError('unexpected {{end}}');
    } else target().push({ t: 'out', pipe: parsePipeline(toks, { i: 0 }) });
  }
  if (stack.length) throw new TemplateError(`unexpected EOF: missing {{end}}`);
  return root;
}

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Go's fmt %v for the values templates see. */
export function goString(v: unknown): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `map[${entries.map(([k, x]) => `${k}:${goString(x)}`).join(' ')}]`;
  }
  return String(v);
}

function field(v: unknown, name: string, args: unknown[]): unknown {
  if (v === null || v === undefined) return undefined;
  const x = (v as Record<string, unknown>)[name];
  if (typeof x === 'function') return (x as (...a: unknown[]) => unknown).apply(v, args);
  return x;
}

const FUNCS: Record<string, (...a: unknown[]) => unknown> = {
  json: (v) => JSON.stringify(v ?? null),
  upper: (s) => String(s).toUpperCase(),
  lower: (s) => String(s).toLowerCase(),
  title: (s) => String(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  join: (list, sep) => (Array.isArray(list) ? list.map(goString).join(String(sep)) : goString(list)),
  split: (s, sep) => String(s).split(String(sep)),
  truncate: (s, n) => [...String(s)].slice(0, Number(n)).join(''),
  pad: (s, l, r) => `${' '.repeat(Number(l))}${String(s)}${' '.repeat(Number(r))}`,
  println: (...a) => `${a.map(goString).join(' ')}\n`,
  print: (...a) => a.map(goString).join(''),
  len: (v) =>
    Array.isArray(v) || typeof v === 'string'
      ? v.length
      : v && typeof v === 'object'
        ? Object.keys(v).length
        : 0,
  index: (v, ...keys) =>
    keys.reduce(
      (acc: unknown, k) => (acc == null ? undefined : (acc as Record<string, unknown>)[String(k)]),
      v,
    ),
  printf: (fmt, ...a) => {
    let k = 0;
    return String(fmt).replace(/%([-\d.]*)([svdqf%])/g, (_m, _w, verb: string) => {
      if (verb === '%') return '%';
      const x = a[k++];
      return verb === 'q' ? JSON.stringify(goString(x)) : goString(x);
    });
  },
  eq: (a, ...b) => b.some((x) => x === a),
  ne: (a, b) => a !== b,
  lt: (a, b) => (a as number) < (b as number),
  le: (a, b) => (a as number) <= (b as number),
  gt: (a, b) => (a as number) > (b as number),
  ge: (a, b) => (a as number) >= (b as number),
  not: (a) => !truthy(a),
  and: (...a) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truthy(x)) ?? a[a.length - 1],
};

interface Scope {
  dot: unknown;
  root: unknown;
}

function evalOperand(op: Operand, scope: Scope, args: unknown[]): unknown {
  switch (op.t) {
    case 'str':
    case 'num':
    case 'bool':
      return op.v;
    case 'dot':
    case 'root': {
      let v = op.t === 'dot' ? scope.dot : scope.root;
      op.fields.forEach((f, k) => {
        v = field(v, f, k === op.fields.length - 1 ? args : []);
      });
      return v;
    }
    case 'paren':
      return evalPipe(op.pipe, scope);
    case 'ident': {
      const fn = FUNCS[op.name];
      if (!fn) throw new TemplateError(`function "${op.name}" not defined`);
      return fn(...args);
    }
  }
}

function evalPipe(pipe: Cmd[], scope: Scope): unknown {
  let prev: unknown;
  let first = true;
  for (const cmd of pipe) {
    const [head, ...rest] = cmd;
    const args = rest.map((o) => evalOperand(o, scope, []));
    if (!first) args.push(prev);
    if (head!.t === 'ident' || (head!.t === 'dot' && head!.fields.length > 0) || head!.t === 'root') {
      prev = evalOperand(head!, scope, args);
    } else {
      if (args.length > (first ? 0 : 1)) throw new TemplateError("can't give argument to non-function");
      prev = evalOperand(head!, scope, []);
    }
    first = false;
  }
  return prev;
}

function run(nodes: Node[], scope: Scope, out: string[]): void {
  for (const n of nodes) {
    if (n.t === 'text') out.push(n.v);
    else if (n.t === 'out') out.push(goString(evalPipe(n.pipe, scope)));
    else if (n.t === 'if') run(truthy(evalPipe(n.pipe, scope)) ? n.body : n.alt, scope, out);
    else if (n.t === 'with') {
      const v = evalPipe(n.pipe, scope);
      if (truthy(v)) run(n.body, { dot: v, root: scope.root }, out);
      else run(n.alt, scope, out);
    } else {
      const v = evalPipe(n.pipe, scope);
      const items = Array.isArray(v)
        ? v
        : v && typeof v === 'object'
          ? Object.keys(v)
              .sort()
              .map((k) => (v as Record<string, unknown>)[k])
          : [];
      if (items.length === 0) run(n.alt, scope, out);
      for (const item of items) run(n.body, { dot: item, root: scope.root }, out);
    }
  }
}

export class Template {
  private readonly nodes: Node[];
  constructor(readonly source: string) {
    this.nodes = parse(source);
  }
  execute(data: unknown): string {
    const out: string[] = [];
    run(this.nodes, { dot: data, root: data }, out);
    return out.join('');
  }
}

/** docker unescapes \t and \n in --format before parsing. */
export function unescapeFormat(format: string): string {
  return format.replaceAll('\\t', '\t').replaceAll('\\n', '\n');
}
