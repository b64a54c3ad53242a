// docker's formatter: --format 'table …' (headers + tabwriter), 'json', a raw template, or -q.
import type { Writable } from 'node:stream';
import { tabwrite } from './table.js';
import { Template, unescapeFormat } from './template.js';

export interface ListFormat {
  /** The user's --format (undefined: the command's default table). */
  format: string | undefined;
  /** Default table, e.g. 'table {{.ID}}\t{{.Image}}'. */
  defaultTable: string;
  /** Used with -q. */
  quiet?: string;
  isQuiet?: boolean;
  /** Field → header text (docker's header context). */
  headers: Record<string, string>;
  /** Table min width (docker's default 10 for ls-style tables, 20 for some). */
  minWidth?: number;
}

function headerName(field: string): string {
  return field.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

/** Renders rows as docker would; returns the text (caller writes it). */
export function renderList(rows: object[], f: ListFormat): string {
  let format = f.format ?? f.defaultTable;
  if (f.isQuiet && f.quiet) format = f.quiet;
  if (format === 'table') format = f.defaultTable;
  if (format === 'json') format = '{{json .}}';
  format = unescapeFormat(format);
  if (format.startsWith('table')) {
    const tmpl = new Template(format.slice('table'.length).replace(/^\s/, ''));
    const header = new Proxy(
      {},
      {
        get: (_t, prop) => (typeof prop === 'string' ? (f.headers[prop] ?? headerName(prop)) : undefined),
      },
    );
    const lines = [tmpl.execute(header), ...rows.map((r) => tmpl.execute(r))];
    return tabwrite(`${lines.join('\n')}\n`, { minWidth: f.minWidth ?? 10, padding: 3 });
  }
  const tmpl = new Template(format);
  return rows.map((r) => `${tmpl.execute(r)}\n`).join('');
}

export function writeList(out: Writable, rows: object[], f: ListFormat): void {
  out.write(renderList(rows, f));
}

/** One object through a template (inspect -f, version -f). */
export function renderOne(data: unknown, format: string): string {
  if (format === 'json') return `${JSON.stringify(data)}\n`;
  return `${new Template(unescapeFormat(format)).execute(data)}\n`;
}
