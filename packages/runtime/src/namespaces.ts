// The namespaces of a running container, as join paths: what exec and in-container hooks enter.
import { isNamespaceKind, NAMESPACE_INFO } from '@berth/namespaces';
import type { StoredState } from './store.js';

export function containerJoins(s: StoredState): { nstype: number; path: string }[] {
  const joins: { nstype: number; path: string }[] = [];
  for (const ns of s.config.linux?.namespaces ?? []) {
    if (!isNamespaceKind(ns.type)) continue;
    const info = NAMESPACE_INFO[ns.type];
    joins.push({ nstype: info.flag, path: ns.path || `/proc/${s.pid}/ns/${info.proc}` });
  }
  return joins;
}
