import { z } from 'zod';

/**
 * Building blocks for query-string schemas. Values arrive as strings (repeated keys as string[]), and
 * are read the way dockerd reads them so clients see the same behaviour.
 */

/** dockerd's httputils.BoolValue: anything but "", "0", "no", "false", "none" is true (case-insensitive). */
export const QueryBool = z
  .string()
  .optional()
  .transform((v) => v !== undefined && !['', '0', 'no', 'false', 'none'].includes(v.trim().toLowerCase()));

/** A decimal integer; anything else is a 400 naming the parameter. */
export const QueryInt = z
  .string()
  .regex(/^[+-]?\d+$/, 'must be an integer')
  .transform((v) => Number.parseInt(v, 10));

/** A query value that is JSON (buildargs, labels, cachefrom, filters). */
export function queryJson<T extends z.ZodType>(schema: T) {
  return z.string().transform((v, ctx): z.infer<T> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'invalid JSON' });
      return z.NEVER;
    }
    const r = schema.safeParse(parsed);
    if (!r.success) {
      ctx.addIssue({ code: 'custom', message: r.error.issues[0]?.message ?? 'invalid value' });
      return z.NEVER;
    }
    return r.data;
  });
}

/** A key that may repeat (`t=a&t=b`, `changes=…`): always an array. */
export const QueryList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** The last value of a key that was given more than once (Go's Form.Get takes the first; either is fine). */
export const QueryString = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? (v[0] ?? '') : v));

/**
 * `filters={"status":["running"],"label":["a=b"]}` or the legacy `{"label":{"a=b":true}}`;
 * both become Record<string, string[]>.
 */
export const QueryFilters = z
  .string()
  .optional()
  .transform((v, ctx): Record<string, string[]> => {
    if (v === undefined || v === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'invalid filter: invalid JSON' });
      return z.NEVER;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'invalid filter: expected a JSON object' });
      return z.NEVER;
    }
    const out: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (Array.isArray(value) && value.every((x) => typeof x === 'string')) out[key] = value;
      else if (
        value &&
        typeof value === 'object' &&
        Object.values(value).every((x) => typeof x === 'boolean')
      )
        out[key] = Object.entries(value)
          .filter(([, on]) => on)
          .map(([k]) => k);
      else {
        ctx.addIssue({ code: 'custom', message: `invalid filter '${key}'` });
        return z.NEVER;
      }
    }
    return out;
  });
