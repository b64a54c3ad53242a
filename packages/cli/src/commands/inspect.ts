import { DockerApiError, type DockerClient } from '@berth/api';
import type { Context } from '../context.js';
import { CliError } from '../errors.js';
import type { Flags } from '../flags.js';
import { renderOne } from '../output/format.js';

type Kind = 'container' | 'image' | 'volume' | 'network';
const KINDS: Kind[] = ['container', 'image', 'volume', 'network'];

function getter(client: DockerClient, kind: Kind): (name: string) => Promise<unknown> {
  switch (kind) {
    case 'container':
      return (n) => client.containerInspectRaw(n);
    case 'image':
      return (n) => client.imageInspectRaw(n);
    case 'volume':
      return (n) => client.volumeInspectRaw(n);
    case 'network':
      return (n) => client.networkInspectRaw(n);
  }
}

/** Prints objects as docker's inspect does: a JSON array indented by 4, or one template line each. */
export async function inspectObjects(
  ctx: Context,
  names: string[],
  format: string | undefined,
  get: (name: string) => Promise<unknown>,
  notFound: (name: string) => string,
): Promise<number> {
  const found: unknown[] = [];
  const missing: string[] = [];
  for (const n of names) {
    try {
      found.push(await get(n));
    } catch (err) {
      if (err instanceof DockerApiError && err.statusCode === 404) missing.push(n);
      else throw err;
    }
  }
  if (format) for (const o of found) ctx.io.stdout.write(renderOne(o, format));
  else ctx.io.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  // docker prints what it found first, then the names it could not find
  for (const n of missing) ctx.io.stderr.write(`${notFound(n)}\n`);
  return missing.length ? 1 : 0;
}

export default async function inspect(ctx: Context, args: string[], f: Flags): Promise<number> {
  const client = await ctx.client();
  const type = f.str('type');
  if (type !== undefined && !KINDS.includes(type as Kind))
    throw new CliError(`"${type}" is not a valid value for --type`, 1);
  const kinds = type ? [type as Kind] : KINDS;
  const get = async (name: string) => {
    for (const k of kinds) {
      try {
        return await getter(client, k)(name);
      } catch (err) {
        if (!(err instanceof DockerApiError && err.statusCode === 404)) throw err;
      }
    }
    throw new DockerApiError(404, `No such object: ${name}`);
  };
  return inspectObjects(ctx, args, f.str('format'), get, (n) => `Error: No such object: ${n}`);
}
