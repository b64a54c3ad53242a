import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import type { Backend } from '../backend.js';
import type { Query } from './http.js';

/** pino-compatible logging (obj, msg); console works too. */
export interface ApiLogger {
  debug?(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

interface BaseContext {
  req: IncomingMessage;
  /** Path parameters in pattern order, URL-decoded. */
  params: string[];
  query: Query;
  /** The API version the client speaks (from the /v1.xx prefix, else the newest). */
  apiVersion: string;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  backend: Backend;
  logger: ApiLogger;
}

export interface RequestContext extends BaseContext {
  res: ServerResponse;
}

/**
 * A connection about to be hijacked: either an `Upgrade: tcp` request (answered 101 UPGRADED) or a
 * plain request that dockerd hijacks anyway (answered 200 and then raw bytes until close).
 */
export interface HijackConnection {
  upgraded: boolean;
  /** The connection speaks WebSocket (GET …/attach/ws): output is never stdcopy-framed. */
  websocket?: boolean;
  /** The request body that precedes the stream (exec start's JSON); bytes after it are stdin. */
  readBody(): Promise<Buffer>;
  /** Answer with an HTTP error instead of hijacking. */
  fail(err: unknown): void;
  /** Answer with a bodiless status instead of hijacking (detached exec start). */
  empty(status: number): void;
  /** Write the 101/200 header; then `input` carries the client's bytes and `output` goes to it. */
  begin(contentType: string): { input: Readable | undefined; output: Writable };
}

export interface HijackContext extends BaseContext {
  conn: HijackConnection;
}

export type Route =
  | { method: string; pattern: RegExp; handle: (ctx: RequestContext) => Promise<void> }
  | { method: string; pattern: RegExp; hijack: (ctx: HijackContext) => Promise<void> };
