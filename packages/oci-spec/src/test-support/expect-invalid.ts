import { expect } from 'vitest';
import type { z } from 'zod';
import { parseOrThrow, SpecValidationError } from '../errors.js';

/** Assert `schema` rejects `doc` with a SpecValidationError whose first issue is at `path`. */
export function expectInvalid(
  schema: z.ZodType,
  doc: unknown,
  path: string,
  message?: RegExp,
): SpecValidationError {
  let caught: unknown;
  try {
    parseOrThrow(schema, doc, 'doc');
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SpecValidationError);
  const e = caught as SpecValidationError;
  expect(e.code).toBe('EINVALIDSPEC');
  expect(e.path).toBe(path);
  expect(e.message.startsWith(`doc: ${path}: `)).toBe(true);
  if (message) expect(e.message).toMatch(message);
  return e;
}
