// Volumes with Docker's `local` driver: a directory <data-root>/volumes/<name>/_data and its
// metadata in <name>/volume.json (atomic). Named volumes follow Docker's name rules; anonymous ones
// get a 64-hex name and are removed with their container (`rm -v`, or auto-remove).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic.js';
import { conflict, invalid, notFound } from './errors.js';
import { newId } from './ids.js';

export const VolumeRecord = z.object({
  Name: z.string(),
  Driver: z.literal('local'),
  CreatedAt: z.string(),
  Labels: z.record(z.string(), z.string()),
  Options: z.record(z.string(), z.string()),
  Anonymous: z.boolean().optional(),
});
export type VolumeRecord = z.infer<typeof VolumeRecord>;

/** Engine API Volume object. */
export interface VolumeInfo {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string>;
  Scope: 'local';
  Options: Record<string, string>;
  UsageData?: { Size: number; RefCount: number };
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const META = 'volume.json';

export class VolumeStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
    mkdirSync(root, { recursive: true, mode: 0o701 });
    // a create or remove that crashed half-way leaves a dir without metadata, or a .removing-* dir
    for (const name of readdirSync(root)) {
      if (name.startsWith('.removing-') || !existsSync(join(root, name, META)))
        rmSync(join(root, name), { recursive: true, force: true });
    }
  }

  mountpoint(name: string): string {
    return join(this.root, name, '_data');
  }

  private read(name: string): VolumeRecord | undefined {
    if (!NAME.test(name)) return undefined;
    const file = join(this.root, name, META);
    if (!existsSync(file)) return undefined;
    return VolumeRecord.parse(JSON.parse(readFileSync(file, 'utf8')));
  }

  info(rec: VolumeRecord): VolumeInfo {
    return {
      Name: rec.Name,
      Driver: rec.Driver,
      Mountpoint: this.mountpoint(rec.Name),
      CreatedAt: rec.CreatedAt,
      Labels: rec.Labels,
      Scope: 'local',
      Options: rec.Options,
    };
  }

  /** Creates a volume; an existing one of the same name is returned as is (Docker's behaviour). */
  create(opts: {
    name?: string | null;
    driver?: string | null;
    labels?: Record<string, string> | null;
    options?: Record<string, string> | null;
    anonymous?: boolean;
  }): { volume: VolumeInfo; created: boolean } {
    const driver = opts.driver || 'local';
    if (driver !== 'local') throw notFound(`plugin "${driver}" not found`);
    const options = opts.options ?? {};
    const unsupported = Object.keys(options);
    if (unsupported.length > 0)
      throw invalid(
        `local volume options are not supported by berth yet: ${unsupported.join(', ')} (create the volume without -o)`,
      );
    const name = opts.name || newId();
    if (!NAME.test(name))
      throw invalid(
        `"${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
      );
    const existing = this.read(name);
    if (existing) return { volume: this.info(existing), created: false };
    const rec: VolumeRecord = {
      Name: name,
      Driver: 'local',
      CreatedAt: new Date().toISOString(),
      Labels: opts.labels ?? {},
      Options: options,
      ...(opts.anonymous ? { Anonymous: true } : {}),
    };
    mkdirSync(this.mountpoint(name), { recursive: true, mode: 0o755 });
    writeFileAtomic(join(this.root, name, META), JSON.stringify(rec));
    return { volume: this.info(rec), created: true };
  }

  get(name: string): VolumeInfo {
    const rec = this.read(name);
    if (!rec) throw notFound(`get ${name}: no such volume`);
    return this.info(rec);
  }

  exists(name: string): boolean {
    return this.read(name) !== undefined;
  }

  record(name: string): VolumeRecord | undefined {
    return this.read(name);
  }

  list(): VolumeRecord[] {
    const out: VolumeRecord[] = [];
    for (const name of readdirSync(this.root)) {
      try {
        const rec = this.read(name);
        if (rec) out.push(rec);
      } catch {
        // a volume being created or removed right now
      }
    }
    return out;
  }

  /** Removes a volume; `inUseBy` lists containers using it (then CONFLICT, 409). */
  remove(name: string, inUseBy: string[] = [], force = false): void {
    if (!this.read(name)) {
      if (force) return;
      throw notFound(`get ${name}: no such volume`);
    }
    if (inUseBy.length > 0) throw conflict(`remove ${name}: volume is in use - [${inUseBy.join(', ')}]`);
    // rename first so a crash mid-delete never leaves a half-deleted volume under its name
    const gone = join(this.root, `.removing-${name}-${process.pid}`);
    renameSync(join(this.root, name), gone);
    rmSync(gone, { recursive: true, force: true });
  }
}
