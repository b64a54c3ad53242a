// Fans a process's stdout/stderr out to its log and to every attached client. The sources are read
// all the time (a container blocked on a full pipe would hang), whether or not anyone is attached;
// a client sees the output from the moment it attaches, as with `docker attach`.
import { PassThrough, type Readable } from 'node:stream';
import type { LogWriter } from './log-writer.js';

type Name = 'stdout' | 'stderr';

export class OutputHub {
  readonly #clients = { stdout: new Set<PassThrough>(), stderr: new Set<PassThrough>() };
  readonly #ended = { stdout: true, stderr: true };
  #open = 0;
  readonly #done: Promise<void>;
  #resolveDone!: () => void;

  constructor(
    sources: Partial<Record<Name, Readable>>,
    private readonly log?: LogWriter,
  ) {
    this.#done = new Promise((r) => (this.#resolveDone = r));
    for (const name of ['stdout', 'stderr'] as const) {
      const src = sources[name];
      if (!src) continue;
      this.#ended[name] = false;
      this.#open++;
      src.on('data', (chunk: Buffer) => {
        this.log?.write(name, chunk);
        for (const c of this.#clients[name]) c.write(chunk);
      });
      // a source that fails (a socket's peer reset) has ended: its 'close' follows
      src.on('error', () => src.destroy());
      src.once('close', () => this.#end(name));
    }
    if (this.#open === 0) this.#finish();
  }

  /** A stream of the output from now on; it ends when the source does (or at once if it has). */
  attach(name: Name): PassThrough {
    const pt = new PassThrough();
    if (this.#ended[name]) {
      pt.end();
      return pt;
    }
    this.#clients[name].add(pt);
    pt.once('close', () => this.#clients[name].delete(pt));
    return pt;
  }

  detach(pt: PassThrough): void {
    for (const set of Object.values(this.#clients)) set.delete(pt);
    pt.end();
  }

  /** Resolves when every source has ended (and the log has been closed). */
  drained(): Promise<void> {
    return this.#done;
  }

  #end(name: Name): void {
    if (this.#ended[name]) return;
    this.#ended[name] = true;
    for (const c of this.#clients[name]) c.end();
    this.#clients[name].clear();
    if (--this.#open === 0) this.#finish();
  }

  #finish(): void {
    this.log?.close();
    this.#resolveDone();
  }
}
