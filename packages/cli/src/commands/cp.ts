// docker cp: tar archives through /containers/{id}/archive in both directions.
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DockerApiError } from '@berth/api';
import * as tar from 'tar';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { Flags } from '../flags.js';
import { humanSize } from '../output/units.js';

/** CONTAINER:PATH → [container, path]; a local path (absolute, ./x, no colon) → [undefined, path]. */
export function splitCpArg(arg: string): [string | undefined, string] {
  if (arg.startsWith('/') || arg.startsWith('.')) return [undefined, arg];
  const i = arg.indexOf(':');
  if (i <= 0) return [undefined, arg];
  return [arg.slice(0, i), arg.slice(i + 1)];
}

async function fromContainer(
  ctx: Context,
  container: string,
  src: string,
  dest: string,
  f: Flags,
): Promise<number> {
  const client = await ctx.client();
  const { tar: stream, stat } = await client.containerGetArchive(container, src);
  if (dest === '-') {
    await pipeline(stream, ctx.io.stdout, { end: false });
    return 0;
  }
  const target = resolve(dest);
  const srcIsDir = stat ? (stat.mode & 0x80000000) !== 0 || (stat.mode & 0o170000) === 0o040000 : false;
  let counted = 0;
  if (existsSync(target) && statSync(target).isDirectory()) {
    await pipeline(
      stream,
      tar.x({
        cwd: target,
        preservePaths: false,
        onReadEntry: (e) => {
          counted += e.size;
        },
      }),
    );
  } else if (srcIsDir) {
    if (!existsSync(dirname(target))) throw new CliError(`no such directory: ${dirname(target)}`, 1);
    mkdirSync(target, { recursive: true });
    await pipeline(
      stream,
      tar.x({
        cwd: target,
        strip: 1,
        onReadEntry: (e) => {
          counted += e.size;
        },
      }),
    );
  } else {
    if (dest.endsWith('/')) throw new CliError(`destination directory "${dest}" must exist`, 1);
    let written: Promise<void> | undefined;
    const parser = new tar.Parser({
      onReadEntry: (entry) => {
        if (!written && entry.type === 'File') {
          counted += entry.size;
          written = pipeline(entry, createWriteStream(target, { mode: entry.mode ?? 0o644 }));
        } else entry.resume();
      },
    });
    await pipeline(stream, parser as unknown as NodeJS.WritableStream);
    await written;
  }
  if (!f.bool('quiet') && ctx.io.stderr.isTTY)
    ctx.io.stderr.write(`Successfully copied ${humanSize(counted)} to ${dest}\n`);
  return 0;
}

async function toContainer(
  ctx: Context,
  src: string,
  container: string,
  dest: string,
  f: Flags,
): Promise<number> {
  const client = await ctx.client();
  if (src === '-') {
    await client.containerPutArchive(container, dest, ctx.io.stdin as Readable);
    return 0;
  }
  const source = resolve(src);
  if (!existsSync(source)) throw new CliError(`stat ${source}: no such file or directory`, 1);
  let destDir = dest;
  let name = basename(source);
  try {
    const st = await client.containerStatPath(container, dest);
    const isDir = st ? (st.mode & 0x80000000) !== 0 || (st.mode & 0o170000) === 0o040000 : false;
    if (!isDir) {
      destDir = dirname(dest);
      name = basename(dest);
    }
  } catch (err) {
    if (!(err instanceof DockerApiError && err.statusCode === 404)) throw err;
    destDir = dirname(dest);
    name = basename(dest);
  }
  const from = basename(source);
  const pack = tar.c(
    {
      cwd: dirname(source),
      portable: !f.bool('archive'),
      follow: f.bool('follow-link'),
      // rename the top entry to the destination's name (docker's RebaseArchiveEntries)
      onWriteEntry: (e) => {
        if (from !== name && (e.path === from || e.path.startsWith(`${from}/`)))
          e.path = name + e.path.slice(from.length);
      },
    },
    [from],
  );
  let size = 0;
  const counted = Readable.from(
    (async function* () {
      for await (const chunk of pack as unknown as AsyncIterable<Buffer>) {
        size += chunk.length;
        yield chunk;
      }
    })(),
  );
  await client.containerPutArchive(container, destDir, counted, { copyUIDGID: f.bool('archive') });
  if (!f.bool('quiet') && ctx.io.stderr.isTTY)
    ctx.io.stderr.write(`Successfully copied ${humanSize(size)} to ${container}:${join(destDir, name)}\n`);
  return 0;
}

export default async function cp(ctx: Context, args: string[], f: Flags): Promise<number> {
  const [srcC, srcP] = splitCpArg(args[0]!);
  const [dstC, dstP] = splitCpArg(args[1]!);
  if (srcC && dstC) throw new CliError('copying between containers is not supported', 1);
  if (!srcC && !dstC) throw new CliError('must specify at least one container source', 1);
  if (srcC) return fromContainer(ctx, srcC, srcP, dstP, f);
  return toContainer(ctx, srcP, dstC!, dstP, f);
}
