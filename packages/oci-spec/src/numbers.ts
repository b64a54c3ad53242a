import { z } from 'zod';

// Integer types of the OCI JSON schemas (defs.json). zod's `.int()` only accepts safe integers (|n| < 2^53),
// but the specs allow the whole 64-bit range (e.g. RLIM_INFINITY = 2^64-1 in rlimits), so the 64-bit types
// check "is an integer" and the range as doubles, exactly as a JSON-schema validator does. Values above
// 2^53 are accepted but have already lost precision in JSON.parse; berth writes -1 for "unlimited".

function integer(min: number, max: number) {
  return z
    .number()
    .refine(Number.isInteger, { message: 'expected integer' })
    .refine((n) => n >= min && n <= max, { message: `expected integer in [${min}, ${max}]` });
}

export const int32 = integer(-2147483648, 2147483647);
export const int64 = integer(-(2 ** 63), 2 ** 63);
export const uint16 = integer(0, 65535);
export const uint32 = integer(0, 4294967295);
export const uint64 = integer(0, 2 ** 64);
/** Any JSON integer (no range), e.g. `oomScoreAdj`. */
export const anyInteger = z.number().refine(Number.isInteger, { message: 'expected integer' });

/** `mapStringString` of the runtime spec (annotations, sysctl, unified). */
export const StringMap = z.record(z.string(), z.string());
