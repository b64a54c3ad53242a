// The build cache, keyed like Docker's classic builder: the parent image id plus what the step is
// (its instruction after expansion, the build args a RUN sees, the checksums of what COPY/ADD copy).
// One small JSON file per key under <builder root>/cache, written atomically; a hit counts only while
// the image it names still exists.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const CacheEntry = z.object({ imageId: z.string().startsWith('sha256:'), created: z.string() });
export type CacheEntry = z.infer<typeof CacheEntry>;

export function cacheKey(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export class BuildCache {
  readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, 'cache');
    mkdirSync(this.dir, { recursive: true });
  }

  get(key: string): CacheEntry | undefined {
    let text: string;
    try {
      text = readFileSync(join(this.dir, `${key}.json`), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = CacheEntry.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // a damaged entry is a miss; the next store replaces it
    }
  }

  set(key: string, imageId: string): void {
    const entry: CacheEntry = { imageId, created: new Date().toISOString() };
    const tmp = join(this.dir, `.${key}.${randomBytes(4).toString('hex')}.tmp`);
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, join(this.dir, `${key}.json`));
  }

  /** Forgets every entry (`docker builder prune`); returns the keys removed. */
  clear(): string[] {
    const keys: string[] = [];
    for (const f of readdirSync(this.dir)) {
      rmSync(join(this.dir, f), { force: true });
      if (f.endsWith('.json')) keys.push(f.slice(0, -'.json'.length));
    }
    return keys;
  }
}
