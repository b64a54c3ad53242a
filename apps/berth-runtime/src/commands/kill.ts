import type { Globals } from '../globals.js';

export default async function kill(
  g: Globals,
  id: string,
  signal: unknown,
  flags: { all?: unknown },
): Promise<void> {
  await (await g.runtime()).kill(id, signal === undefined ? 'SIGTERM' : String(signal), {
    all: flags.all === true,
  });
}
