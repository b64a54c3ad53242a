// Docker's capability model: a default set for unprivileged containers, `--cap-add`/`--cap-drop`
// (names with or without CAP_, any case, and ALL) over it, and every capability when privileged.
import { readFileSync } from 'node:fs';
import { DOCKER_DEFAULT_CAPABILITIES } from '@berth/oci-spec';
import { invalid } from './errors.js';

/** moby's oci/caps/defaults.go DefaultCapabilities (14 capabilities; one copy, in @berth/oci-spec). */
export const DEFAULT_CAPABILITIES: readonly string[] = DOCKER_DEFAULT_CAPABILITIES;

/** Every capability Linux 6.x knows, in number order. */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

/**
 * The capabilities this daemon holds (its bounding set): "all" for a privileged container means
 * these, as in moby (asking for one the host lacks fails the container's start with EPERM).
 */
export function hostCapabilities(): string[] {
  let mask = (1n << BigInt(ALL_CAPABILITIES.length)) - 1n;
  try {
    const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) mask = BigInt(`0x${m[1]}`);
  } catch {
    // not Linux /proc: assume all
  }
  return ALL_CAPABILITIES.filter((_, i) => (mask >> BigInt(i)) & 1n);
}

function normalize(name: string, where: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!ALL_CAPABILITIES.includes(full)) throw invalid(`invalid ${where} capability: ${JSON.stringify(name)}`);
  return full;
}

/**
 * The container's capability set: moby's TweakCapabilities. Adds win over drops for the same name,
 * except that `--cap-drop ALL --cap-add X` gives exactly the added ones.
 */
export function containerCapabilities(opts: {
  privileged?: boolean | null;
  capAdd?: readonly string[] | null;
  capDrop?: readonly string[] | null;
}): string[] {
  const all = hostCapabilities();
  if (opts.privileged) return all;
  const add = (opts.capAdd ?? []).map((c) => normalize(c, 'cap-add'));
  const drop = (opts.capDrop ?? []).map((c) => normalize(c, 'cap-drop'));
  if (add.includes('ALL')) return all.filter((c) => !drop.includes(c) || add.includes(c));
  const base = drop.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c));
  const out = new Set(base);
  for (const c of add) out.add(c);
  return ALL_CAPABILITIES.filter((c) => out.has(c));
}
