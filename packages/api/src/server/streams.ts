import type { ServerResponse } from 'node:http';
import type { LogEntry } from '../backend.js';
import type { JSONMessage } from '../types/common.js';
import type { RequestContext } from './context.js';
import { errorMessage, sendError, sendJson } from './http.js';
import { frame, STDERR, STDOUT, streamContentType } from './stdcopy.js';

/** Write and wait for the socket to take it (backpressure); false when the client is gone. */
async function write(res: ServerResponse, data: string | Buffer): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (!res.write(data)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
  return !res.destroyed;
}

/**
 * Progress streams (pull, push, load, import, build): the 200 header waits for the first message, so
 * an error before it is a normal HTTP error; a later error is a final errorDetail line, as dockerd does.
 */
export async function sendProgress(ctx: RequestContext, messages: AsyncIterable<JSONMessage>): Promise<void> {
  const { res } = ctx;
  const it = messages[Symbol.asyncIterator]();
  let next: IteratorResult<JSONMessage>;
  try {
    next = await it.next();
  } catch (err) {
    return sendError(res, err);
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  try {
    while (!next.done) {
      if (!(await write(res, `${JSON.stringify(next.value)}\r\n`))) {
        await it.return?.();
        return;
      }
      next = await it.next();
    }
  } catch (err) {
    const message = errorMessage(err);
    await write(res, `${JSON.stringify({ errorDetail: { message }, error: message })}\r\n`);
  }
  res.end();
}

/** Newline-delimited JSON (events, streamed stats): header at once, one flushed line per item. */
export async function sendJsonLines(ctx: RequestContext, items: AsyncIterable<unknown>): Promise<void> {
  const { res } = ctx;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.flushHeaders();
  try {
    for await (const item of items) {
      if (!(await write(res, `${JSON.stringify(item)}\n`))) break;
    }
  } catch (err) {
    ctx.logger.warn({ err: errorMessage(err) }, 'stream ended with an error');
    res.destroy();
    return;
  }
  res.end();
}

/** The first item only (stats with stream=false), as one JSON document. */
export async function sendFirst(ctx: RequestContext, items: AsyncIterable<unknown>): Promise<void> {
  const it = items[Symbol.asyncIterator]();
  const first = await it.next();
  await it.return?.();
  if (first.done) return sendJson(ctx.res, 200, {});
  sendJson(ctx.res, 200, first.value);
}

/** Logs: optional timestamps, stdcopy frames unless the container has a TTY. */
export async function sendLogs(
  ctx: RequestContext,
  logs: { tty: boolean; entries: AsyncIterable<LogEntry> },
  timestamps: boolean,
): Promise<void> {
  const { res } = ctx;
  res.writeHead(200, { 'Content-Type': streamContentType(logs.tty, ctx.apiVersion) });
  res.flushHeaders();
  try {
    for await (const entry of logs.entries) {
      const data = timestamps
        ? Buffer.concat([Buffer.from(`${entry.time ?? new Date().toISOString()} `), entry.data])
        : entry.data;
      const out = logs.tty ? data : frame(entry.stream === 'stderr' ? STDERR : STDOUT, data);
      if (!(await write(res, out))) return;
    }
  } catch (err) {
    ctx.logger.warn({ err: errorMessage(err) }, 'log stream ended with an error');
    res.destroy();
    return;
  }
  res.end();
}
