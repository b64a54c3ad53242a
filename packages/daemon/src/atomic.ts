// Atomic file writes: temp file in the same directory, then rename, so a reader (or the next start
// after a crash) sees the old or the new content, never half of one.
import { closeSync, fsync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

let seq = 0;

/** Temp files of these writers start with this; a loader may remove leftovers of a crash. */
export const TEMP_PREFIX = '.tmp-';

function tempFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${process.pid}-${seq++}`);
}

function writeTemp(tmp: string, data: string | Buffer, mode: number): number {
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  return fd;
}

/** Durable: the data is on disk (fsync) before the rename makes it visible. */
export function writeFileAtomic(path: string, data: string | Buffer, mode = 0o600): void {
  const tmp = tempFor(path);
  const fd = writeTemp(tmp, data, mode);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Atomic but not durable: for files made again from the record whenever they are needed (a
 * container's hosts, hostname and resolv.conf are written at every start), where an fsync buys
 * nothing a crash could keep.
 */
export function writeFileReplace(path: string, data: string | Buffer, mode = 0o600): void {
  const tmp = tempFor(path);
  closeSync(writeTemp(tmp, data, mode));
  renameSync(tmp, path);
}

/**
 * Durable and atomic, with the fsync off the caller's path: the temp file is written now, synced on
 * libuv's thread pool, and renamed over `path` once synced if `current()` still says so (a later
 * write of the same file superseded it otherwise, and the temp file is dropped). Until then the
 * file on disk holds the previous content, whole.
 */
export function writeFileAtomicLater(
  path: string,
  data: string | Buffer,
  current: () => boolean,
  mode = 0o600,
): Promise<void> {
  const tmp = tempFor(path);
  const fd = writeTemp(tmp, data, mode);
  return new Promise<void>((resolve, reject) => {
    fsync(fd, (err) => {
      try {
        closeSync(fd);
        if (err) throw err;
        if (current()) renameSync(tmp, path);
        else rmSync(tmp, { force: true });
        resolve();
      } catch (e) {
        rmSync(tmp, { force: true });
        reject(e);
      }
    });
  });
}
