// In-memory state of a container while the daemon runs: who waits for what, attaches made before
// start, the exit of the current run, the restart timer.
import type { PassThrough } from 'node:stream';
import type { WaitCondition } from '@berth/api';
import type { TaskAttach } from './deps.js';

export interface Waiter {
  condition: WaitCondition;
  resolve(r: { StatusCode: number; Error?: { Message: string } | null }): void;
}

export interface PendingAttach {
  stdin: boolean;
  stdout?: PassThrough;
  stderr?: PassThrough;
  input?: PassThrough;
  task?: TaskAttach;
  closed: boolean;
}

export class LiveContainer {
  waiters: Waiter[] = [];
  pending = new Set<PendingAttach>();
  restartTimer: NodeJS.Timeout | undefined;
  restartDelay = 0;
  /** resolves when the current run has been handled (state written) */
  exited: Promise<void> = Promise.resolve();
  running = false;
  /** the next health probe */
  healthTimer: NodeJS.Timeout | undefined;
  /** the kernel's OOM killer hit the container during this run */
  oom = false;
  /** resolves the wait for a late OOM event at exit */
  onOom: (() => void) | undefined;
  /** the daemon is stopping or removing it: no restart */
  stopping = false;
  /** one start/stop/remove at a time */
  private chain: Promise<unknown> = Promise.resolve();

  serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => {});
    return next;
  }

  settle(condition: WaitCondition | 'exit', code: number, error?: string): void {
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      const hit =
        condition === 'removed'
          ? true
          : w.condition === 'next-exit' || w.condition === 'not-running'
            ? condition === 'exit'
            : false;
      if (hit) w.resolve({ StatusCode: code, Error: error ? { Message: error } : null });
      else keep.push(w);
    }
    this.waiters = keep;
  }
}
