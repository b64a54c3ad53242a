import { setTimeout as sleep } from 'node:timers/promises';
import { CgroupError } from '../errors.js';
import { readCgroupFile, writeCgroupFile } from '../fs.js';

export const FREEZER_STATE = 'freezer.state';
const NAME = 'freezer';

/**
 * Writes FROZEN or THAWED and waits until freezer.state reports it (FREEZING is the transition). The
 * kernel offers no notification for v1 freezer changes, so this re-reads with a growing back-off.
 */
export async function setFreezerState(
  dir: string,
  state: 'FROZEN' | 'THAWED',
  attempts = 200,
): Promise<void> {
  let delay = 1;
  for (let i = 0; i < attempts; i++) {
    writeCgroupFile(NAME, dir, FREEZER_STATE, state);
    if (readCgroupFile(NAME, dir, FREEZER_STATE).trim() === state) return;
    await sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
  throw new CgroupError('ECGROUPBUSY', `freezer: ${dir}/${FREEZER_STATE} did not reach ${state}`, {
    controller: NAME,
    file: `${dir}/${FREEZER_STATE}`,
  });
}
