import { isRuntimeError } from '@berth/runtime';
import type { Globals } from '../globals.js';

export default async function del(g: Globals, id: string, flags: { force?: unknown }): Promise<void> {
  const rt = await g.runtime();
  try {
    await rt.delete(id, { force: flags.force === true });
  } catch (e) {
    // runc: `delete --force` of a container that does not exist is not an error
    if (flags.force === true && isRuntimeError(e) && e.code === 'ENOTFOUND') return;
    throw e;
  }
}
