// Help in docker's layout (Usage, description, Aliases, Options with aligned descriptions).
import type { FlagSpec } from './flags.js';
import { type CommandSpec, MANAGEMENT_ALIASES } from './registry.js';

function flagLabel(f: FlagSpec): string {
  const name = f.short ? `-${f.short}, --${f.long}` : `    --${f.long}`;
  return f.kind === 'bool' ? name : `${name} ${f.type ?? 'string'}`;
}

function defaultNote(f: FlagSpec): string {
  if (f.default === undefined || f.kind === 'bool' || f.kind === 'list') return '';
  return f.kind === 'string' ? ` (default "${f.default}")` : ` (default ${f.default})`;
}

/** pflag's wrapN: split s at the last space before i (allowing `slop` extra characters at the end). */
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ''];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (w <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** pflag's wrap: text starting at column i, wrapped to width w, continuation lines indented by i. */
function wrap(i: number, w: number, s: string): string {
  let indent = i;
  let width = w - indent;
  let out = '';
  if (width < 24) {
    indent = 16;
    width = w - indent;
    out += `\n${' '.repeat(indent)}`;
  }
  if (width < 24) return s.replaceAll('\n', out);
  const slop = 5;
  width -= slop;
  const pad = `\n${' '.repeat(indent)}`;
  let [line, rest] = wrapN(width, slop, s);
  out += line.replaceAll('\n', pad);
  while (rest !== '') {
    [line, rest] = wrapN(width, slop, rest);
    out += pad + line.replaceAll('\n', pad);
  }
  return out;
}

/** Terminal width for help, as docker: the window's columns, else 80 (minus one). */
const HELP_COLUMNS = (process.stdout.columns || 80) - 1;

export function flagsHelp(flags: FlagSpec[], cols = HELP_COLUMNS): string {
  const visible = [...flags].filter((f) => !f.hidden).sort((a, b) => a.long.localeCompare(b.long));
  const labels = visible.map((f) => `  ${flagLabel(f)}`);
  // pflag counts a separator after the label: descriptions start three columns after the longest
  const maxlen = Math.max(0, ...labels.map((l) => l.length)) + 1;
  return visible
    .map((f, k) => `${labels[k]!.padEnd(maxlen)}  ${wrap(maxlen + 2, cols, `${f.desc}${defaultNote(f)}`)}`)
    .join('\n');
}

export function commandHelp(prog: string, spec: CommandSpec, parent?: string): string {
  const out: string[] = [];
  out.push(`Usage:  ${prog} ${spec.usage.replaceAll('\n\tberth', `\n\t${prog}`)}`, '', spec.desc);
  if (spec.aliases?.length && parent) {
    out.push(
      '',
      'Aliases:',
      `  ${[spec.name, ...spec.aliases].map((a) => `${prog} ${parent} ${a}`).join(', ')}`,
    );
  } else if (!parent) {
    const forms = Object.entries(MANAGEMENT_ALIASES).flatMap(([group, map]) =>
      Object.entries(map)
        .filter(([, target]) => target === spec.name)
        .map(([sub]) => `${prog} ${group} ${sub}`),
    );
    if (forms.length) out.push('', 'Aliases:', `  ${[...forms, `${prog} ${spec.name}`].join(', ')}`);
  }
  if (spec.sub) {
    out.push('', 'Commands:');
    const w = Math.max(...spec.sub.map((c) => c.name.length)) + 3;
    for (const c of spec.sub) out.push(`  ${c.name.padEnd(w)}${c.desc}`);
    out.push('', `Run '${prog} ${spec.name} COMMAND --help' for more information on a command.`);
  } else if (spec.flags.length) {
    out.push('', 'Options:', flagsHelp(spec.flags));
  }
  return `${out.join('\n')}\n`;
}

export function mainHelp(prog: string, commands: CommandSpec[], globals: FlagSpec[]): string {
  const common = ['run', 'exec', 'ps', 'build', 'pull', 'push', 'images', 'version', 'info'];
  const w = Math.max(...commands.map((c) => c.name.length)) + 3;
  const line = (c: CommandSpec) => `  ${c.name.padEnd(w)}${c.desc}`;
  const out = [
    `Usage:  ${prog} [OPTIONS] COMMAND`,
    '',
    'A self-sufficient runtime for containers',
    '',
    'Common Commands:',
    ...common
      .map((n) => commands.find((c) => c.name === n))
      .filter((c) => c !== undefined)
      .map(line),
    '',
    'Management Commands:',
    ...commands.filter((c) => c.sub).map(line),
    '',
    'Commands:',
    ...commands.filter((c) => !c.sub && !common.includes(c.name)).map(line),
    '',
    'Global Options:',
    flagsHelp(globals),
    '',
    `Run '${prog} COMMAND --help' for more information on a command.`,
  ];
  return `${out.join('\n')}\n`;
}
