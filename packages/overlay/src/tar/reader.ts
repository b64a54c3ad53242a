// A streaming tar reader, hand-written rather than taken from tar-stream: tar-stream decodes pax
// records as UTF-8 strings, which corrupts binary extended attributes such as security.capability,
// and its stream-per-entry design costs several promise hops per file where this parser hands data
// to synchronous callbacks (the applier writes small files with one write each).
import { OverlayError } from '../errors.js';
import { BLOCK, type EntryType, type TarHeader } from './header.js';

export interface TarHandlers {
  /** A new entry; its data (header.size bytes) follows through `data`. */
  entry(header: TarHeader): void;
  /** A piece of the current entry's data. The buffer may be reused after the call returns. */
  data(chunk: Buffer): void;
  /** The current entry's data is complete. */
  entryEnd(): void;
}

const typeByFlag: Record<string, EntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'link',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};

interface Pending {
  path?: string;
  linkpath?: string;
  size?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  xattrs: Map<string, Buffer>;
}

type State = 'header' | 'data' | 'meta' | 'padding' | 'end';

export class TarReader {
  #handlers: TarHandlers;
  #state: State = 'header';
  #header = Buffer.alloc(BLOCK);
  #headerFill = 0;
  #remaining = 0;
  #padding = 0;
  #meta: Buffer[] = [];
  #metaKind = '';
  #pending: Pending = { xattrs: new Map() };
  #global: Pending = { xattrs: new Map() };
  #entries = 0;
  #sawZero = false;

  constructor(handlers: TarHandlers) {
    this.#handlers = handlers;
  }

  write(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      switch (this.#state) {
        case 'header': {
          const n = Math.min(BLOCK - this.#headerFill, chunk.length - off);
          chunk.copy(this.#header, this.#headerFill, off, off + n);
          this.#headerFill += n;
          off += n;
          if (this.#headerFill === BLOCK) {
            this.#headerFill = 0;
            this.#onHeader();
          }
          break;
        }
        case 'data': {
          const n = Math.min(this.#remaining, chunk.length - off);
          this.#handlers.data(chunk.subarray(off, off + n));
          off += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#finishData();
          break;
        }
        case 'meta': {
          const n = Math.min(this.#remaining, chunk.length - off);
          this.#meta.push(Buffer.from(chunk.subarray(off, off + n)));
          off += n;
          this.#remaining -= n;
          if (this.#remaining === 0) this.#finishMeta();
          break;
        }
        case 'padding': {
          const n = Math.min(this.#padding, chunk.length - off);
          off += n;
          this.#padding -= n;
          if (this.#padding === 0) this.#state = 'header';
          break;
        }
        case 'end':
          return; // anything after the end-of-archive blocks is ignored, as GNU tar does
      }
    }
  }

  /** Call when the input is exhausted: fails on a truncated archive. */
  end(): void {
    if (this.#state === 'end' || (this.#state === 'header' && this.#headerFill === 0 && this.#entries > 0))
      return;
    if (this.#state === 'header' && this.#headerFill === 0 && this.#entries === 0 && !this.#sawZero) {
      throw new OverlayError('EBADLAYER', 'layer tar is empty');
    }
    if (this.#state !== 'header' || this.#headerFill !== 0) {
      throw new OverlayError('EBADLAYER', 'layer tar is truncated');
    }
  }

  #onHeader(): void {
    const h = this.#header;
    if (isZero(h)) {
      if (this.#sawZero) this.#state = 'end';
      this.#sawZero = true;
      return;
    }
    this.#sawZero = false;
    if (!checksumOk(h))
      throw new OverlayError('EBADLAYER', `bad tar header checksum after ${this.#entries} entries`);
    const flag = String.fromCharCode(h[156]!);
    const size = this.#pending.size ?? readNumber(h, 124, 12);
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      this.#metaKind = flag;
      this.#meta = [];
      this.#remaining = size;
      this.#padding = pad(size);
      this.#state = size > 0 ? 'meta' : 'header';
      if (size === 0) this.#finishMeta();
      return;
    }
    const type = typeByFlag[flag];
    if (!type) {
      throw new OverlayError('EBADLAYER', `unsupported tar entry type ${JSON.stringify(flag)}`, {
        entry: readString(h, 0, 100),
      });
    }
    const ustar = h.toString('latin1', 257, 263) === 'ustar\0';
    let name = readString(h, 0, 100);
    if (ustar) {
      const prefix = readString(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const p = this.#pending;
    const g = this.#global;
    const xattrs = new Map([...g.xattrs, ...p.xattrs]);
    const header: TarHeader = {
      name: p.path ?? name,
      type,
      mode: readNumber(h, 100, 8) & 0o7777,
      uid: p.uid ?? g.uid ?? readNumber(h, 108, 8),
      gid: p.gid ?? g.gid ?? readNumber(h, 116, 8),
      size: type === 'file' ? size : 0,
      mtime: p.mtime ?? g.mtime ?? readNumber(h, 136, 12),
      linkname: p.linkpath ?? readString(h, 157, 100),
      devmajor: readNumber(h, 329, 8),
      devminor: readNumber(h, 337, 8),
      xattrs,
    };
    this.#pending = { xattrs: new Map() };
    this.#entries++;
    this.#handlers.entry(header);
    // Hard links, symlinks and devices may carry a size field; their bytes (if any) are skipped.
    this.#remaining = size;
    this.#padding = pad(size);
    if (type !== 'file') {
      this.#handlers.entryEnd();
      this.#padding += size;
      this.#remaining = 0;
      this.#state = this.#padding > 0 ? 'padding' : 'header';
      return;
    }
    if (size === 0) this.#finishData();
    else this.#state = 'data';
  }

  #finishData(): void {
    this.#handlers.entryEnd();
    this.#state = this.#padding > 0 ? 'padding' : 'header';
  }

  #finishMeta(): void {
    const body = Buffer.concat(this.#meta);
    this.#meta = [];
    switch (this.#metaKind) {
      case 'L':
        this.#pending.path = cString(body);
        break;
      case 'K':
        this.#pending.linkpath = cString(body);
        break;
      case 'x':
        parsePax(body, this.#pending);
        break;
      case 'g':
        parsePax(body, this.#global);
        break;
    }
    this.#state = this.#padding > 0 ? 'padding' : 'header';
  }
}

/** Pax records are `<len> <key>=<value>\n`; values are bytes (xattr values may be binary). */
function parsePax(body: Buffer, into: Pending): void {
  let off = 0;
  while (off < body.length) {
    const space = body.indexOf(0x20, off);
    if (space < 0) break;
    const len = Number.parseInt(body.toString('latin1', off, space), 10);
    if (!Number.isFinite(len) || len <= 0 || off + len > body.length) {
      throw new OverlayError('EBADLAYER', 'malformed pax record');
    }
    const record = body.subarray(space + 1, off + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq < 0) throw new OverlayError('EBADLAYER', 'malformed pax record');
    const key = record.toString('utf8', 0, eq);
    const value = record.subarray(eq + 1);
    switch (key) {
      case 'path':
        into.path = value.toString('utf8');
        break;
      case 'linkpath':
        into.linkpath = value.toString('utf8');
        break;
      case 'size':
        into.size = Number(value.toString('latin1'));
        break;
      case 'uid':
        into.uid = Number(value.toString('latin1'));
        break;
      case 'gid':
        into.gid = Number(value.toString('latin1'));
        break;
      case 'mtime':
        into.mtime = Number(value.toString('latin1'));
        break;
      default:
        if (key.startsWith('SCHILY.xattr.')) into.xattrs.set(key.slice(13), Buffer.from(value));
        else if (key.startsWith('LIBARCHIVE.xattr.')) {
          into.xattrs.set(decodeURIComponent(key.slice(17)), Buffer.from(value.toString('latin1'), 'base64'));
        }
    }
    off += len;
  }
}

function pad(size: number): number {
  const rem = size % BLOCK;
  return rem === 0 ? 0 : BLOCK - rem;
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

function checksumOk(b: Buffer): boolean {
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += b[i]!;
  return sum === readNumber(b, 148, 8);
}

function cString(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.toString('utf8', 0, nul < 0 ? b.length : nul);
}

function readString(b: Buffer, off: number, len: number): string {
  return cString(b.subarray(off, off + len));
}

/** Octal (NUL/space terminated) or GNU base-256 (high bit of the first byte set). */
function readNumber(b: Buffer, off: number, len: number): number {
  if (b[off]! & 0x80) {
    let value = b[off]! & 0x7f;
    for (let i = 1; i < len; i++) value = value * 256 + b[off + i]!;
    return value;
  }
  let value = 0;
  let i = off;
  const end = off + len;
  while (i < end && (b[i] === 0x20 || b[i] === 0x30)) i++;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x37) break;
    value = value * 8 + (c - 0x30);
  }
  return value;
}
