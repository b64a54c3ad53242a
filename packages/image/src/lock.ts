/**
 * A readers-writer lock for one process: pulls, loads and commits hold it shared while their blobs
 * are not yet referenced by an image; GC holds it exclusively so it never sweeps a blob a running
 * operation has just written.
 */
export class SharedLock {
  #readers = 0;
  #writer: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#writer) await this.#writer;
    this.#readers++;
    try {
      return await fn();
    } finally {
      this.#readers--;
      if (this.#readers === 0) this.#drained?.();
    }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#writer) await this.#writer;
    let release!: () => void;
    this.#writer = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      if (this.#readers > 0) {
        await new Promise<void>((resolve) => {
          this.#drained = resolve;
        });
        this.#drained = undefined;
      }
      return await fn();
    } finally {
      this.#writer = undefined;
      release();
    }
  }
}

/** Runs async functions one at a time, in call order (the index file's writer). */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.#tail.then(fn, fn);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}
