import { ApiError } from '../errors.js';

/** Docker's default detach sequence: ctrl-p, ctrl-q. */
export const DEFAULT_DETACH_KEYS = Buffer.from([0x10, 0x11]);

/**
 * Parse Docker's detach key syntax ("ctrl-p,ctrl-q", "a,ctrl-@") into bytes; a bad sequence is a 400.
 */
export function parseDetachKeys(spec: string): Buffer {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const key = part.trim();
    if (key.length === 1) {
      out.push(key.charCodeAt(0));
      continue;
    }
    const m = /^ctrl-(.)$/i.exec(key);
    const c = m?.[1]?.toLowerCase();
    if (c !== undefined) {
      if (c >= 'a' && c <= 'z') {
        out.push(c.charCodeAt(0) - 96);
        continue;
      }
      const special: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31 };
      if (c in special) {
        out.push(special[c]!);
        continue;
      }
    }
    throw new ApiError(400, `Invalid detach keys (${spec}) provided`);
  }
  return Buffer.from(out);
}

/**
 * Watches stdin bytes for the detach sequence. Bytes that might begin the sequence are held back until
 * it is clear whether they do (then they are dropped and `detached` is set) or not (then released).
 */
export class EscapeProxy {
  private held = 0;
  detached = false;

  constructor(private readonly keys: Buffer) {}

  /** Returns the bytes to forward. */
  push(chunk: Buffer): Buffer {
    if (this.keys.length === 0 || this.detached) return this.detached ? Buffer.alloc(0) : chunk;
    const out: number[] = [];
    for (const b of chunk) {
      if (b === this.keys[this.held]) {
        this.held++;
        if (this.held === this.keys.length) {
          this.detached = true;
          return Buffer.from(out);
        }
        continue;
      }
      for (let i = 0; i < this.held; i++) out.push(this.keys[i]!);
      this.held = 0;
      if (b === this.keys[0]) this.held = 1;
      else out.push(b);
    }
    return Buffer.from(out);
  }
}
