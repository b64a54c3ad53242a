import { z } from 'zod';
import { StringMap } from '../numbers.js';
import { NamespaceType, SeccompAction, SeccompArch, SeccompFlag, SeccompOperator } from './linux.js';

// features.json: what a runtime supports, as `<runtime> features` prints it
// (features.md, features-schema.json + features-linux.json). Unknown fields are dropped.

const Enabled = z.object({ enabled: z.boolean().optional() });

export const LinuxFeatures = z.object({
  namespaces: z.array(NamespaceType).optional(),
  capabilities: z.array(z.string().regex(/^CAP_[A-Z_]+$/, { message: 'expected CAP_<NAME>' })).optional(),
  cgroup: z
    .object({
      v1: z.boolean().optional(),
      v2: z.boolean().optional(),
      systemd: z.boolean().optional(),
      systemdUser: z.boolean().optional(),
      rdma: z.boolean().optional(),
    })
    .optional(),
  seccomp: z
    .object({
      enabled: z.boolean().optional(),
      actions: z.array(SeccompAction).optional(),
      operators: z.array(SeccompOperator).optional(),
      archs: z.array(SeccompArch).optional(),
      knownFlags: z.array(SeccompFlag).optional(),
      supportedFlags: z.array(SeccompFlag).optional(),
    })
    .optional(),
  apparmor: Enabled.optional(),
  selinux: Enabled.optional(),
  intelRdt: Enabled.optional(),
  mountExtensions: z.object({ idmap: Enabled.optional() }).optional(),
});
export type LinuxFeatures = z.infer<typeof LinuxFeatures>;

export const Features = z.object({
  ociVersionMin: z.string(),
  ociVersionMax: z.string(),
  hooks: z.array(z.string()).optional(),
  mountOptions: z.array(z.string()).optional(),
  annotations: StringMap.optional(),
  potentiallyUnsafeConfigAnnotations: z.array(z.string()).optional(),
  linux: LinuxFeatures.optional(),
});
export type Features = z.infer<typeof Features>;
