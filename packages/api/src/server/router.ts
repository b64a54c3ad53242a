import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { Route } from './context.js';

/**
 * Routes are a small table of regular expressions rather than a router library: the API is ~80 fixed
 * paths, image names contain slashes (`/images/library/busybox:latest/json`), and the two hijacking
 * endpoints must be reachable from node's `upgrade` event where no framework runs. A linear scan over
 * 80 anchored regexes costs microseconds next to a container operation.
 *
 * `{id}` matches one path segment, `{name*}` one or more (image names).
 */
export function pattern(path: string): RegExp {
  const src = path
    .split('/')
    .map((seg) =>
      seg === '{name*}'
        ? '(.+)'
        : /^\{\w+\}$/.test(seg)
          ? '([^/]+)'
          : seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${src}/?$`);
}

/** The route for method and path, or undefined; HEAD falls back to GET where no HEAD route exists. */
export function match(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET' && !hasHead(routes, path)))
      continue;
    return { route, params: m.slice(1).map(decodeParam) };
  }
  return undefined;
}

/** A malformed %-escape is a 400, never an exception escaping the request handler. */
function decodeParam(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ApiError(400, `invalid escape in path segment '${s}'`);
  }
}

function hasHead(routes: Route[], path: string): boolean {
  return routes.some((r) => r.method === 'HEAD' && r.pattern.test(path));
}

// ---- query value helpers shared by the route files ----

/** dockerd's BoolValueOrDefault: absent or empty → the default. */
export function qbool(def: boolean) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => {
      const s = Array.isArray(v) ? v[0] : v;
      if (s === undefined || s === '') return def;
      return !['0', 'no', 'false', 'none'].includes(s.trim().toLowerCase());
    });
}

/** An optional integer query value. */
export const qint = z
  .string()
  .regex(/^[+-]?\d+$/, 'must be an integer')
  .transform((v) => Number.parseInt(v, 10))
  .optional();

/** Unix seconds as the CLI sends them ("1700000000.000000000"); empty = absent. */
export const qtime = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t / 1000;
    ctx.addIssue({ code: 'custom', message: `invalid timestamp '${v}'` });
    return z.NEVER;
  });

/** An optional string (the first of repeated values). */
export const qstr = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v[0] : v));
