import type { Globals } from '../globals.js';

export default async function start(g: Globals, id: string): Promise<void> {
  await (await g.runtime()).start(id);
}
