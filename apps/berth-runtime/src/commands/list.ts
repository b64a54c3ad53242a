import type { Globals } from '../globals.js';

export default async function list(g: Globals, flags: { format?: unknown; quiet?: unknown }): Promise<void> {
  const states = (await g.runtime()).list();
  if (flags.quiet === true) {
    for (const s of states) process.stdout.write(`${s.id}\n`);
    return;
  }
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify(states)}\n`);
    return;
  }
  const rows = [['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER']];
  for (const s of states) rows.push([s.id, String(s.pid), s.status, s.bundle, s.created, s.owner || 'root']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    process.stdout.write(
      `${r
        .map((c, i) => c.padEnd(widths[i]! + 3))
        .join('')
        .trimEnd()}\n`,
    );
}
