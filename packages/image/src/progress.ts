import { type DockerProgressMessage, dockerProgressMessage } from '@berth/registry';
import type { ImageProgressEvent } from './transfer.js';

/**
 * A pull event as a line of Docker's JSON progress stream, as `docker pull` shows layers: Waiting,
 * Downloading (with progressDetail), Verifying Checksum, Download complete, Extracting, Pull
 * complete, Already exists. Config and manifest blobs, overall totals and a layer blob that is
 * already present (its unpack event speaks for it) give undefined.
 */
export function dockerPullMessage(event: ImageProgressEvent): DockerProgressMessage | undefined {
  if (event.type === 'overall') return undefined;
  const id = (event.digest.split(':')[1] ?? event.digest).slice(0, 12);
  if (event.type === 'unpack') {
    if (event.status === 'extracting') {
      return { id, status: 'Extracting', progressDetail: { current: event.current, total: 0 } };
    }
    return { id, status: event.status === 'done' ? 'Pull complete' : 'Already exists' };
  }
  if (event.kind !== 'layer' || event.status === 'exists') return undefined;
  return dockerProgressMessage(event);
}
