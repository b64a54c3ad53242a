import type { Globals } from '../globals.js';

export default async function features(g: Globals): Promise<void> {
  process.stdout.write(`${JSON.stringify((await g.runtime()).features(), null, 2)}\n`);
}
