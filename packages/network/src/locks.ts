// Who may run at the same time inside one NetworkManager: work on different containers runs
// concurrently (the CNI plugins lock what they share: host-local its files, iptables its
// tables), work on one container runs in order, and network-wide work (create, remove, prune,
// recovery) runs alone: it waits for container work queued before it, and container work
// queued after it waits for it. A plain mutex guards short sections (choosing host ports).

export class Locks {
  private exclusiveTail: Promise<unknown> = Promise.resolve();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly perKey = new Map<string, Promise<unknown>>();
  private mutexTail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` alone. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const before = [...this.inFlight];
    const run = this.exclusiveTail.then(async () => {
      await Promise.allSettled(before);
      return fn();
    });
    this.exclusiveTail = run.catch(() => {});
    return run;
  }

  /** Runs `fn` after earlier work on `key` and earlier exclusive work, beside work on other keys. */
  shared<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const gate = this.exclusiveTail;
    const prev = this.perKey.get(key) ?? Promise.resolve();
    const run = Promise.all([gate, prev]).then(fn);
    const settled = run.catch(() => {});
    this.inFlight.add(settled);
    this.perKey.set(key, settled);
    void settled.then(() => {
      this.inFlight.delete(settled);
      if (this.perKey.get(key) === settled) this.perKey.delete(key);
    });
    return run;
  }

  /** A short critical section, in order. */
  mutex<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.mutexTail.then(fn, fn);
    this.mutexTail = run.catch(() => {});
    return run;
  }
}
