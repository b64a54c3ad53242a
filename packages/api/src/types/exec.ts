import { z } from 'zod';
import { Uint } from './common.js';

/** Body of POST /containers/{id}/exec. */
export const ExecCreate = z.object({
  AttachStdin: z.boolean().optional(),
  AttachStdout: z.boolean().optional(),
  AttachStderr: z.boolean().optional(),
  ConsoleSize: z.array(Uint).length(2).optional(),
  DetachKeys: z.string().optional(),
  Tty: z.boolean().optional(),
  Env: z.array(z.string()).optional(),
  Cmd: z.array(z.string()).min(1, 'No exec command specified'),
  Privileged: z.boolean().optional(),
  User: z.string().optional(),
  WorkingDir: z.string().optional(),
});
export type ExecCreate = z.infer<typeof ExecCreate>;

/** Body of POST /exec/{id}/start. */
export const ExecStart = z.object({
  Detach: z.boolean().optional(),
  Tty: z.boolean().optional(),
  ConsoleSize: z.array(Uint).length(2).optional(),
});
export type ExecStart = z.infer<typeof ExecStart>;

export interface ExecCreateResponse {
  Id: string;
}

/** GET /exec/{id}/json. */
export interface ExecInspect {
  CanRemove: boolean;
  DetachKeys: string;
  ID: string;
  Running: boolean;
  ExitCode: number | null;
  ProcessConfig: {
    privileged: boolean;
    user: string;
    tty: boolean;
    entrypoint: string;
    arguments: string[];
  };
  OpenStdin: boolean;
  OpenStderr: boolean;
  OpenStdout: boolean;
  ContainerID: string;
  Pid: number;
}
