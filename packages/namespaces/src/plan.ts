// The namespace part of an init plan, from the namespace part of a config.json.
import type { PlanJoin } from '@berth/native';
import type { Linux } from '@berth/oci-spec';
import { NamespaceError } from './errors.js';
import { formatIdMap, validateIdMappings } from './idmap.js';
import { NAMESPACE_INFO, type NamespaceKind, parseNamespaceKind } from './kinds.js';

/** The part of a RuntimeSpec (@berth/oci-spec) this reads; a whole RuntimeSpec fits. */
export interface NamespaceSpecPart {
  linux?: Pick<Linux, 'namespaces' | 'uidMappings' | 'gidMappings' | 'timeOffsets'> | undefined;
}

/** The namespace fields of @berth/native's InitPlan. */
export interface NamespacePlan {
  /** CLONE_NEW* of the namespaces to create */
  cloneFlags: number;
  /** namespaces to join by path */
  joinNamespaces: PlanJoin[];
  uidMap?: string;
  gidMap?: string;
  setgroupsDeny: boolean;
  /** offsets of a new time namespace */
  timeOffsets?: { clock: 'monotonic' | 'boottime'; secs: number; nanosecs: number }[];
}

export interface NamespacePlanOptions {
  /** write 'deny' to setgroups of a new user namespace (rootless containers) */
  denySetgroups?: boolean;
}

/**
 * Turns linux.namespaces / uidMappings / gidMappings into clone flags, joins and id maps, with the
 * spec's rules: a type appears at most once; no path means a new namespace, a path means join it;
 * mappings belong to a new user namespace and one needs them; timeOffsets need a new time namespace.
 */
export function namespacePlan(spec: NamespaceSpecPart, opts: NamespacePlanOptions = {}): NamespacePlan {
  const list = spec.linux?.namespaces ?? [];
  const seen = new Set<NamespaceKind>();
  const plan: NamespacePlan = { cloneFlags: 0, joinNamespaces: [], setgroupsDeny: false };
  list.forEach((ns, i) => {
    const where = `linux.namespaces[${i}]`;
    const kind = parseNamespaceKind(ns.type, `${where}.type`);
    if (!(ns.type === kind))
      throw new NamespaceError(`use the OCI name ${JSON.stringify(kind)}`, `${where}.type`);
    if (seen.has(kind))
      throw new NamespaceError(`duplicate namespace type ${JSON.stringify(kind)}`, `${where}.type`);
    seen.add(kind);
    const info = NAMESPACE_INFO[kind];
    if (ns.path !== undefined && ns.path !== '') {
      if (!ns.path.startsWith('/')) throw new NamespaceError('path must be absolute', `${where}.path`);
      plan.joinNamespaces.push({ nstype: info.flag, path: ns.path });
    } else {
      plan.cloneFlags |= info.flag;
    }
  });
  const uids = spec.linux?.uidMappings ?? [];
  const gids = spec.linux?.gidMappings ?? [];
  const newUser = (plan.cloneFlags & NAMESPACE_INFO.user.flag) !== 0;
  if (newUser) {
    if (uids.length === 0 || gids.length === 0)
      throw new NamespaceError('a new user namespace needs uidMappings and gidMappings', 'linux');
    plan.uidMap = formatIdMap(validateIdMappings(uids, 'linux.uidMappings'));
    plan.gidMap = formatIdMap(validateIdMappings(gids, 'linux.gidMappings'));
    plan.setgroupsDeny = opts.denySetgroups ?? false;
  } else if (uids.length > 0 || gids.length > 0) {
    throw new NamespaceError('uidMappings/gidMappings need a new user namespace', 'linux');
  }
  const offsets = Object.entries(spec.linux?.timeOffsets ?? {}).filter(([, o]) => o !== undefined) as [
    string,
    { secs?: number; nanosecs?: number },
  ][];
  if (offsets.length > 0) {
    if ((plan.cloneFlags & NAMESPACE_INFO.time.flag) === 0)
      throw new NamespaceError('timeOffsets need a new time namespace', 'linux.timeOffsets');
    plan.timeOffsets = offsets.map(([clock, o]) => {
      if (clock !== 'monotonic' && clock !== 'boottime')
        throw new NamespaceError(`unknown clock ${JSON.stringify(clock)}`, `linux.timeOffsets.${clock}`);
      return { clock, secs: o.secs ?? 0, nanosecs: o.nanosecs ?? 0 };
    });
  }
  return plan;
}
