import type { Globals } from '../globals.js';

export default async function state(g: Globals, id: string): Promise<void> {
  const st = (await g.runtime()).state(id);
  process.stdout.write(`${JSON.stringify(st, null, 2)}\n`);
}
