import { readFileSync } from 'node:fs';

/** Parse a JSON file from src/fixtures. */
export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

/** A deep copy of a JSON value, for tests that break a document. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
