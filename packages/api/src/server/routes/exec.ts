import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { ExecCreate, ExecStart } from '../../types/exec.js';
import type { Route } from '../context.js';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../escape.js';
import { runSession } from '../hijack.js';
import { parseJsonBody, parseJsonBuffer, parseQuery, sendEmpty, sendJson } from '../http.js';
import { pattern, qint } from '../router.js';

export const execRoutes: Route[] = [
  {
    method: 'POST',
    pattern: pattern('/containers/{id}/exec'),
    async handle(ctx) {
      const body = await parseJsonBody(ExecCreate, ctx.req);
      if (body.DetachKeys) parseDetachKeys(body.DetachKeys);
      sendJson(ctx.res, 201, await ctx.backend.execCreate(ctx.params[0]!, body));
    },
  },
  {
    method: 'POST',
    pattern: pattern('/exec/{id}/start'),
    async hijack(ctx) {
      const raw = await ctx.conn.readBody();
      const body = parseJsonBuffer(ExecStart, raw, ctx.req.headers['content-type'], true);
      const consoleSize =
        body.ConsoleSize && body.ConsoleSize.length === 2
          ? ([body.ConsoleSize[0]!, body.ConsoleSize[1]!] as [number, number])
          : undefined;
      const session = await ctx.backend.execStart(ctx.params[0]!, {
        detach: body.Detach ?? false,
        tty: body.Tty ?? false,
        consoleSize,
      });
      if (body.Detach || !session) {
        // Detached: a plain answer, no stream (dockerd: 200, empty body).
        ctx.conn.empty(200);
        return;
      }
      // As for attach, a TTY exec detaches on ctrl-p,ctrl-q unless its DetachKeys say otherwise.
      const detachKeys = session.detachKeys ? parseDetachKeys(session.detachKeys) : DEFAULT_DETACH_KEYS;
      await runSession(ctx.conn, session, { apiVersion: ctx.apiVersion, detachKeys, logger: ctx.logger });
    },
  },
  {
    method: 'POST',
    pattern: pattern('/exec/{id}/resize'),
    async handle(ctx) {
      const q = parseQuery(z.object({ h: qint, w: qint }), ctx.query);
      if (q.h === undefined || q.w === undefined)
        throw new ApiError(400, 'invalid resize: h and w are required');
      await ctx.backend.execResize(ctx.params[0]!, { height: q.h, width: q.w });
      sendEmpty(ctx.res, 200);
    },
  },
  {
    method: 'GET',
    pattern: pattern('/exec/{id}/json'),
    async handle(ctx) {
      sendJson(ctx.res, 200, await ctx.backend.execInspect(ctx.params[0]!));
    },
  },
];
