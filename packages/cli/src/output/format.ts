// docker's formatter: --format 'table …' (headers + tabwriter), 'json', a raw template, or -q.
import type { Writable } from 'node:stream';
import { CliError } from '../errors.js';
import { tabwrite } from './table.js';
import { Template, TemplateError, unescapeFormat } from './template.js';

/** Parses a --format template; a bad one is reported as docker does. */
function compile(source: string): Template {
  try {
    return new Template(source);
  } catch (err) {
    if (err instanceof TemplateError) {
      throw new CliError(`template parsing error: template: :1: ${err.message}`, 1, 'TEMPLATE');
    }
    throw err;
  }
}

/** Runs a template; errors while executing are reported like docker's. */
function exec(t: Template, data: unknown): string {
  try {
    return t.execute(data);
  } catch (err) {
    if (err instanceof TemplateError) throw new CliError(`template: :1: ${err.message}`, 1, 'TEMPLATE');
    throw err;
  }
}

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
    const tmpl = compile(format.slice('table'.length).replace(/^\s/, ''));
    const header = new Proxy(
      {},
      {
        get: (_t, prop) => (typeof prop === 'string' ? (f.headers[prop] ?? headerName(prop)) : undefined),
      },
    );
    const lines = [exec(tmpl, header), ...rows.map((r) => exec(tmpl, r))];
    return tabwrite(`${lines.join('\n')}\n`, { minWidth: f.minWidth ?? 10, padding: 3 });
  }
  const tmpl = compile(format);
  return rows.map((r) => `${exec(tmpl, r)}\n`).join('');
}

export function writeList(out: Writable, rows: object[], f: ListFormat): void {
  out.write(renderList(rows, f));
}

/** One object through a template (inspect -f, version -f). */
export function renderOne(data: unknown, format: string): string {
  if (format === 'json') return `${JSON.stringify(data)}\n`;
  return `${exec(compile(unescapeFormat(format)), data)}\n`;
}
