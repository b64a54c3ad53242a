/**
 * Docker's stdcopy framing for non-TTY streams: an 8-byte header (stream id, 3 zero bytes, big-endian
 * uint32 length) before each chunk, so stdout and stderr share one connection.
 */
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const SYSTEMERR = 3;

export type StreamId = typeof STDIN | typeof STDOUT | typeof STDERR | typeof SYSTEMERR;

export function frame(stream: StreamId, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/** Content types of raw and multiplexed streams; API < 1.42 used raw-stream for both. */
export function streamContentType(tty: boolean, apiVersion: string): string {
  if (tty) return 'application/vnd.docker.raw-stream';
  const [maj, min] = apiVersion.split('.').map(Number);
  return (maj ?? 1) > 1 || (min ?? 0) >= 42
    ? 'application/vnd.docker.multiplexed-stream'
    : 'application/vnd.docker.raw-stream';
}
