import type { Runtime } from '@berth/runtime';
import { z } from 'zod';
import { Logger } from './log.js';

/** The global flags every command takes (runc's). */
export const GlobalFlags = z.object({
  root: z.string().default('/run/berth-runtime'),
  log: z.string().optional(),
  logFormat: z.enum(['json', 'text']).default('text'),
  debug: z.boolean().default(false),
});
export type GlobalFlags = z.infer<typeof GlobalFlags>;

export interface Globals {
  flags: GlobalFlags;
  logger: Logger;
  runtime(): Promise<Runtime>;
}

export function makeGlobals(raw: Record<string, unknown>): Globals {
  const flags = GlobalFlags.parse({
    root: raw.root === undefined ? undefined : String(raw.root),
    log: raw.log === undefined ? undefined : String(raw.log),
    logFormat: raw.logFormat,
    debug: raw.debug === true,
  });
  const logger = new Logger(flags.log, flags.logFormat, flags.debug);
  let rt: Runtime | undefined;
  return {
    flags,
    logger,
    async runtime() {
      if (!rt) {
        const { Runtime } = await import('@berth/runtime');
        rt = new Runtime({ root: flags.root, warn: (m) => logger.warn(m) });
      }
      return rt;
    },
  };
}

/** A command's failure with the process exit code to use. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export const str = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : String(v);
export const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
