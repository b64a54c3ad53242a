// Help in docker's layout (Usage, description, Aliases, Options with aligned descriptions).
import type { FlagSpec } from './flags.js';
import type { CommandSpec } from './registry.js';

function flagLabel(f: FlagSpec): string {
  const name = f.short ? `-${f.short}, --${f.long}` : `    --${f.long}`;
  return f.kind === 'bool' ? name : `${name} ${f.type ?? 'string'}`;
}

function defaultNote(f: FlagSpec): string {
  if (f.default === undefined || f.kind === 'bool' || f.kind === 'list') return '';
  return f.kind === 'string' ? ` (default "${f.default}")` : ` (default ${f.default})`;
}

export function flagsHelp(flags: FlagSpec[]): string {
  const visible = [...flags].filter((f) => !f.hidden).sort((a, b) => a.long.localeCompare(b.long));
  const width = Math.max(0, ...visible.map((f) => flagLabel(f).length)) + 3;
  return visible
    .map((f) => {
      const lines = `${f.desc}${defaultNote(f)}`.split('\n');
      const label = `  ${flagLabel(f)}`.padEnd(width + 2);
      return [label + lines[0], ...lines.slice(1).map((x) => ' '.repeat(width + 2) + x)].join('\n');
    })
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
