// Checks of everything that comes in from callers (in-process or gRPC): identifiers, labels, specs.
import { Descriptor, LinuxResources, Process, RuntimeSpec } from '@berth/oci-spec';
import { z } from 'zod';
import { invalid } from './errors.js';

// containerd's identifier rule: alphanumerics separated by single '.', '_' or '-', at most 76 chars.
const IDENTIFIER = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/;
const MAX_IDENTIFIER = 76;

export function checkIdentifier(where: string, id: unknown): string {
  if (typeof id !== 'string' || id === '') throw invalid(where, 'must be a non-empty string');
  if (id.length > MAX_IDENTIFIER)
    throw invalid(where, `${JSON.stringify(id)} is longer than ${MAX_IDENTIFIER} characters`);
  if (!IDENTIFIER.test(id))
    throw invalid(
      where,
      `${JSON.stringify(id)} is not an identifier (letters and digits, separated by single '.', '_' or '-')`,
    );
  return id;
}

export const checkNamespace = (ns: unknown): string => checkIdentifier('namespace', ns);

export const Labels = z.record(z.string().min(1).max(4096), z.string().max(4096));

function parseWith<T>(schema: z.ZodType<T>, where: string, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.length > 0 ? `${where}.${issue.path.join('.')}` : where;
  throw invalid(path, issue.message);
}

export const checkLabels = (where: string, v: unknown): Record<string, string> =>
  parseWith(Labels, where, v ?? {});
export const checkSpec = (v: unknown): RuntimeSpec => parseWith(RuntimeSpec, 'spec', v);
export const checkDescriptor = (where: string, v: unknown): Descriptor => parseWith(Descriptor, where, v);
/** An exec's process: the config.json `process` shape, every field optional but a non-empty args. */
const ExecProcess = Process.partial().extend({
  args: z.array(z.string()).min(1, 'must name the program to run'),
});
export const checkExecProcess = (v: unknown): z.infer<typeof ExecProcess> =>
  parseWith(ExecProcess, 'process', v);
export const checkResources = (v: unknown): LinuxResources => parseWith(LinuxResources, 'resources', v);
const MountList = z.array(
  z.object({ type: z.enum(['overlay', 'bind']), source: z.string().min(1), options: z.array(z.string()) }),
);
export const checkRootfs = (v: unknown): z.infer<typeof MountList> => parseWith(MountList, 'rootfs', v);

const Publish = z.object({
  topic: z.string().regex(/^(\/[A-Za-z0-9_.-]+)+$/, 'expected a topic like /tasks/exit'),
  event: z.record(z.string(), z.unknown()),
});
export const checkPublish = (topic: unknown, event: unknown): z.infer<typeof Publish> =>
  parseWith(Publish, 'event', { topic, event });
export { parseWith };
