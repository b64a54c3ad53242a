// Entering an existing namespace with setns(2).
import { closeSync, openSync } from 'node:fs';
import { constants, setns } from '@berth/native';
import { NAMESPACE_INFO, type NamespaceKind } from './kinds.js';

/**
 * Moves the CALLING THREAD into the namespace at `path` (a /proc/<pid>/ns file or a persistent
 * nsfs bind mount). In Node that is the main thread only: libuv's pool threads stay where they
 * were, so use sync fs calls while inside. Mount and user namespaces cannot be entered by a
 * multi-threaded process (EINVAL): join those in a child through an init plan instead.
 */
export function enterNamespace(path: string | number, kind: NamespaceKind): void {
  setns(path, NAMESPACE_INFO[kind].flag);
}

/**
 * Runs `fn` with the calling thread inside the namespace, then returns it to the namespace it was
 * in, even when `fn` throws. `fn` must be synchronous: anything awaited would run elsewhere.
 */
export function withNamespace<T>(path: string, kind: NamespaceKind, fn: () => T): T {
  const ownPath =
    kind === 'pid' || kind === 'time'
      ? `/proc/thread-self/ns/${NAMESPACE_INFO[kind].proc}_for_children`
      : `/proc/thread-self/ns/${NAMESPACE_INFO[kind].proc}`;
  const own = openSync(ownPath, constants.O_RDONLY | constants.O_CLOEXEC);
  try {
    enterNamespace(path, kind);
    try {
      return fn();
    } finally {
      enterNamespace(own, kind);
    }
  } finally {
    closeSync(own);
  }
}
