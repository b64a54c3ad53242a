import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { z } from 'zod';
import { ApiError, statusOf } from '../errors.js';
import type { AuthConfig } from '../types/common.js';

/** The largest JSON body accepted (container create bodies are a few KiB). */
const MAX_JSON_BODY = 16 * 1024 * 1024;

export type Query = Record<string, string | string[]>;

export function queryOf(search: URLSearchParams): Query {
  const q: Query = {};
  for (const [k, v] of search) {
    const prev = q[k];
    if (prev === undefined) q[k] = v;
    else q[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return q;
}

function issueText(issues: z.core.$ZodIssue[], where: 'query' | 'body'): string {
  const first = issues[0];
  if (!first) return 'invalid input';
  const path = first.path.map(String).join('.');
  if (where === 'query')
    return `invalid query parameter ${path ? `"${path}"` : ''}: ${first.message}`.replace('  ', ' ');
  return `invalid JSON: ${path ? `${path}: ` : ''}${first.message}`;
}

/** Validate a query object; a failure is a 400 naming the parameter. */
export function parseQuery<T extends z.ZodType>(schema: T, query: Query): z.infer<T> {
  const r = schema.safeParse(query);
  if (!r.success) throw new ApiError(400, issueText(r.error.issues, 'query'));
  return r.data;
}

/** Remove `null` object members recursively: Go decodes JSON null as "not set". */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // "__proto__" would set the new object's prototype instead of a key: dropped (no Docker field has it).
    for (const [k, v] of Object.entries(value)) if (v !== null && k !== '__proto__') out[k] = stripNulls(v);
    return out;
  }
  return value;
}

export async function readAll(req: IncomingMessage, limit = MAX_JSON_BODY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError(400, `request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Parse and validate a JSON body as dockerd does: a non-empty body must be application/json; bad JSON
 * and bad types are 400s naming the JSON path; unknown fields are dropped. An empty body is `{}`
 * when `optional`, else a 400.
 */
export function parseJsonBuffer<T extends z.ZodType>(
  schema: T,
  raw: Buffer,
  contentType: string | undefined,
  optional: boolean,
): z.infer<T> {
  if (raw.length === 0 || raw.toString('utf8').trim() === '') {
    if (optional) return parseValue(schema, {});
    throw new ApiError(400, 'invalid JSON: request body is empty');
  }
  if (contentType !== undefined) {
    const mime = contentType.split(';')[0]!.trim().toLowerCase();
    if (mime !== '' && mime !== 'application/json' && !mime.endsWith('+json'))
      throw new ApiError(400, `unsupported Content-Type header (${mime}): must be 'application/json'`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new ApiError(400, `invalid JSON: ${(err as Error).message}`);
  }
  if (parsed === null && optional) parsed = {};
  return parseValue(schema, stripNulls(parsed));
}

function parseValue<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(400, issueText(r.error.issues, 'body'));
  return r.data;
}

export async function parseJsonBody<T extends z.ZodType>(
  schema: T,
  req: IncomingMessage,
  opts: { optional?: boolean } = {},
): Promise<z.infer<T>> {
  return parseJsonBuffer(schema, await readAll(req), req.headers['content-type'], opts.optional ?? false);
}

/** X-Registry-Auth: base64url(JSON AuthConfig). Undecodable headers count as no credentials (dockerd too). */
export function decodeAuthHeader(value: string | string[] | undefined): AuthConfig | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return json && typeof json === 'object' ? (json as AuthConfig) : undefined;
  } catch {
    return undefined;
  }
}

/** X-Registry-Config (build): base64url(JSON map of registry → AuthConfig). */
export function decodeRegistryConfig(value: string | string[] | undefined): Record<string, AuthConfig> {
  if (typeof value !== 'string' || value === '') return {};
  try {
    const json: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return json && typeof json === 'object' ? (json as Record<string, AuthConfig>) : {};
  } catch {
    return {};
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': data.length });
  res.end(data);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Answer with Docker's error shape; 304 has no body. Headers already sent: just close. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = statusOf(err);
  if (status === 304) sendEmpty(res, 304);
  else sendJson(res, status, { message: errorMessage(err) });
}

const REASONS: Record<number, string> = {
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** An error response written straight onto a socket (upgrade requests have no ServerResponse). */
export function sendRawError(socket: Duplex, err: unknown, headers: Record<string, string> = {}): void {
  const status = statusOf(err);
  const body = Buffer.from(JSON.stringify({ message: errorMessage(err) }));
  const lines = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]));
}
