/** Tar entry kinds berth reads and writes (POSIX ustar type flags). */
export type EntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

/** One tar entry's header, after pax and GNU long-name records have been folded in. */
export interface TarHeader {
  /** Path as stored (no normalisation). */
  name: string;
  type: EntryType;
  /** Permission bits incl. setuid/setgid/sticky (no file type bits). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch (fractional when a pax mtime carried nanoseconds). */
  mtime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes from pax `SCHILY.xattr.*` records, values as raw bytes. */
  xattrs: Map<string, Buffer>;
}

export const BLOCK = 512;

export const typeFlags: Record<EntryType, string> = {
  file: '0',
  link: '1',
  symlink: '2',
  char: '3',
  block: '4',
  dir: '5',
  fifo: '6',
};
