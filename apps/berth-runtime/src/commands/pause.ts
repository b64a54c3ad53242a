import type { Globals } from '../globals.js';

export async function pause(g: Globals, id: string): Promise<void> {
  await (await g.runtime()).pause(id);
}

export async function resume(g: Globals, id: string): Promise<void> {
  await (await g.runtime()).resume(id);
}
