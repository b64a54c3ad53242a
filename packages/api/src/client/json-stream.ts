// Streaming JSON (pull/push/load/build progress, events, stats): a sequence of JSON values, one per
// line from berthd/dockerd, but docker's decoder also accepts them back to back, so values are split
// by bracket depth rather than by newline.
import type { Readable } from 'node:stream';
import { JsonMessage } from './types.js';

export class JsonStreamError extends Error {
  readonly code = 'JSON_STREAM' as const;
}

/** Yields each JSON value of the stream, parsed. */
export async function* parseJsonStream(
  src: Readable | AsyncIterable<Buffer | string>,
): AsyncGenerator<unknown> {
  for await (const piece of splitJsonStream(src)) {
    try {
      yield JSON.parse(piece);
    } catch {
      throw new JsonStreamError(`bad JSON in the daemon's stream: ${piece.slice(0, 200)}`);
    }
  }
}

/** Yields the text of each JSON value of the stream (for callers that need numbers beyond 2^53). */
export async function* splitJsonStream(
  src: Readable | AsyncIterable<Buffer | string>,
): AsyncGenerator<string> {
  let text = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for await (const chunk of src) {
    const from = text.length;
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    for (let i = from; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') {
        if (depth === 0) start = i;
        depth++;
      } else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          yield text.slice(start, i + 1);
          text = text.slice(i + 1);
          i = -1;
          start = -1;
        } else if (depth < 0) throw new JsonStreamError('unbalanced JSON in the daemon stream');
      }
    }
    if (depth === 0) text = '';
  }
}

/** Yields JSONMessages; values that are not objects are skipped. */
export async function* parseJsonMessages(src: Readable): AsyncGenerator<JsonMessage> {
  for await (const v of parseJsonStream(src)) {
    const r = JsonMessage.safeParse(v);
    if (r.success) yield r.data;
  }
}
