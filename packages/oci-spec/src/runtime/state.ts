import { z } from 'zod';
import { StringMap } from '../numbers.js';

// The state of a container, as `<runtime> state <id>` prints it (runtime.md "State", state-schema.json).
// Unknown fields are dropped (runc adds `rootfs`, `created`, `owner`): extend the schema
// (`State.extend({...})`) to keep runtime-specific fields.

export const ContainerStatus = z.enum(['creating', 'created', 'running', 'stopped']);
export type ContainerStatus = z.infer<typeof ContainerStatus>;

export const State = z.object({
  ociVersion: z.string(),
  id: z.string(),
  status: ContainerStatus,
  /** Host PID of the container process; required by the spec text when created or running. */
  pid: z
    .number()
    .refine(Number.isInteger, { message: 'expected integer' })
    .refine((n) => n >= 0, { message: 'expected integer >= 0' })
    .optional(),
  /** Absolute path to the bundle directory. */
  bundle: z.string(),
  annotations: StringMap.optional(),
});
export type State = z.infer<typeof State>;
