// Tar header encoding for layer diffs. Hand-written for the same reason as reader.ts: xattr values
// are bytes and must be written into pax records unchanged; and a diff needs byte-for-byte
// reproducible output (no uname/gname look-ups, no atime/ctime records).
import { BLOCK, type TarHeader, typeFlags } from './header.js';

const ZERO = Buffer.alloc(BLOCK);

/** The header block(s) for `h`: a pax record block first when a field does not fit ustar. */
export function encodeHeader(h: TarHeader): Buffer {
  const pax: [string, Buffer][] = [];
  let name = h.name;
  let prefix = '';
  if (!fitsAscii(name, 100)) {
    const split = splitName(name);
    if (split) [prefix, name] = split;
    else {
      pax.push(['path', Buffer.from(h.name)]);
      name = truncate(h.name, 100);
    }
  }
  let linkname = h.linkname;
  if (!fitsAscii(linkname, 100)) {
    pax.push(['linkpath', Buffer.from(linkname)]);
    linkname = truncate(linkname, 100);
  }
  const big = (n: number, width: number) => n >= 8 ** (width - 1);
  if (big(h.size, 12)) pax.push(['size', Buffer.from(String(h.size))]);
  if (big(h.uid, 8)) pax.push(['uid', Buffer.from(String(h.uid))]);
  if (big(h.gid, 8)) pax.push(['gid', Buffer.from(String(h.gid))]);
  for (const [key, value] of [...h.xattrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    pax.push([`SCHILY.xattr.${key}`, value]);
  }

  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, h.mode & 0o7777);
  writeOctal(block, 108, 8, big(h.uid, 8) ? 0 : h.uid);
  writeOctal(block, 116, 8, big(h.gid, 8) ? 0 : h.gid);
  writeOctal(block, 124, 12, big(h.size, 12) ? 0 : h.size);
  writeOctal(block, 136, 12, Math.max(0, Math.floor(h.mtime)));
  block[156] = typeFlags[h.type].charCodeAt(0);
  block.write(linkname, 157, 100, 'utf8');
  block.write('ustar\x0000', 257, 8, 'latin1');
  writeOctal(block, 329, 8, h.devmajor);
  writeOctal(block, 337, 8, h.devminor);
  block.write(prefix, 345, 155, 'utf8');
  writeChecksum(block);

  if (pax.length === 0) return block;
  const body = paxBody(pax);
  const paxHeader = Buffer.alloc(BLOCK);
  paxHeader.write(truncate(`PaxHeaders/${h.name}`, 100), 0, 100, 'utf8');
  writeOctal(paxHeader, 100, 8, 0o644);
  writeOctal(paxHeader, 108, 8, 0);
  writeOctal(paxHeader, 116, 8, 0);
  writeOctal(paxHeader, 124, 12, body.length);
  writeOctal(paxHeader, 136, 12, Math.max(0, Math.floor(h.mtime)));
  paxHeader[156] = 'x'.charCodeAt(0);
  paxHeader.write('ustar\x0000', 257, 8, 'latin1');
  writeChecksum(paxHeader);
  return Buffer.concat([paxHeader, body, padding(body.length), block]);
}

/** Zero bytes that bring `size` to a block boundary. */
export function padding(size: number): Buffer {
  const rem = size % BLOCK;
  return rem === 0 ? Buffer.alloc(0) : ZERO.subarray(0, BLOCK - rem);
}

/** The end-of-archive marker: two zero blocks. */
export function endOfArchive(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

function paxBody(records: [string, Buffer][]): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of records) {
    const rest = Buffer.byteLength(key) + value.length + 3; // ' ' + '=' + '\n'
    let len = rest + String(rest).length;
    if (String(len).length !== String(rest).length) len = rest + String(len).length;
    parts.push(Buffer.from(`${len} ${key}=`), value, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

function fitsAscii(s: string, max: number): boolean {
  return s.length <= max && /^[\x20-\x7e]*$/.test(s);
}

function splitName(name: string): [string, string] | undefined {
  if (!/^[\x20-\x7e]*$/.test(name) || name.length > 256) return undefined;
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    if (i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0)
      return [name.slice(0, i), name.slice(i + 1)];
  }
  return undefined;
}

function truncate(s: string, max: number): string {
  const b = Buffer.from(s);
  return b.length <= max ? s : b.subarray(0, max).toString('latin1');
}

function writeOctal(b: Buffer, off: number, len: number, value: number): void {
  b.write(value.toString(8).padStart(len - 1, '0'), off, len - 1, 'latin1');
  b[off + len - 1] = 0;
}

function writeChecksum(b: Buffer): void {
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i]!;
  b.write(sum.toString(8).padStart(6, '0'), 148, 6, 'latin1');
  b[154] = 0;
  b[155] = 0x20;
}
