// -v/--volume, --mount and --tmpfs as docker's CLI turns them into the create body.
import { isAbsolute, resolve } from 'node:path';
import { CliError, FlagValueError } from '../errors.js';
import { ramInBytes } from '../output/units.js';

export interface ApiMount {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean; CreateMountpoint?: boolean };
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string>;
    DriverConfig?: { Name?: string; Options?: Record<string, string> };
    Subpath?: string;
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

/** -v: binds (host path or named volume) go to HostConfig.Binds; a lone path is an anonymous volume. */
export function parseVolumes(
  specs: string[],
  cwd = process.cwd(),
): { binds: string[]; volumes: Record<string, Record<string, never>> } {
  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const spec of specs) {
    const parts = spec.split(':');
    if (parts.some((p, i) => p === '' && i < 2))
      throw new CliError(`invalid spec: ${spec}: empty section between colons`, 125);
    if (parts.length === 1) {
      if (!isAbsolute(parts[0]!))
        throw new CliError(
          `invalid volume specification: '${spec}': invalid mount config for type "volume": invalid mount path: '${parts[0]}' mount path must be absolute`,
          125,
        );
      volumes[parts[0]!] = {};
      continue;
    }
    if (parts.length > 3) throw new CliError(`invalid volume specification: '${spec}'`, 125);
    let [src, dst, mode] = parts as [string, string, string | undefined];
    if (!isAbsolute(dst))
      throw new CliError(
        `invalid volume specification: '${spec}': invalid mount config for type "bind": invalid mount path: '${dst}' mount path must be absolute`,
        125,
      );
    // a relative host path is resolved here, as docker's CLI does since 23.0
    if (src.startsWith('.') || src.startsWith('~'))
      src = resolve(cwd, src.replace(/^~/, process.env.HOME ?? '~'));
    binds.push(mode ? `${src}:${dst}:${mode}` : `${src}:${dst}`);
  }
  return { binds, volumes };
}

function boolOpt(flag: string, value: string | undefined, key: string): boolean {
  if (value === undefined || ['1', 'true', 'True', 'TRUE'].includes(value)) return true;
  if (['0', 'false', 'False', 'FALSE'].includes(value)) return false;
  throw new FlagValueError(flag, value, `invalid value for ${key}: ${value}`);
}

/** --mount type=bind,source=/a,target=/b,readonly … (csv, docker's keys and aliases). */
export function parseMount(spec: string): ApiMount {
  const flag = '--mount';
  const m: ApiMount = { Type: 'volume', Target: '' };
  let tmpfsSize: number | undefined;
  let tmpfsMode: number | undefined;
  const volOpts: NonNullable<ApiMount['VolumeOptions']> = {};
  const bindOpts: NonNullable<ApiMount['BindOptions']> = {};
  for (const field of spec.split(',')) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase().trim();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    const need = () => {
      if (value === undefined)
        throw new FlagValueError(flag, spec, `invalid field '${field}' must be a key=value pair`);
      return value;
    };
    switch (key) {
      case 'type': {
        const t = need();
        if (t !== 'bind' && t !== 'volume' && t !== 'tmpfs')
          throw new FlagValueError(flag, spec, `invalid mount type: ${t}`);
        m.Type = t;
        break;
      }
      case 'source':
      case 'src':
        m.Source = need();
        break;
      case 'target':
      case 'dst':
      case 'destination':
        m.Target = need();
        break;
      case 'readonly':
      case 'ro':
        m.ReadOnly = boolOpt(flag, value, key);
        break;
      case 'bind-propagation':
        bindOpts.Propagation = need();
        break;
      case 'bind-nonrecursive':
        bindOpts.NonRecursive = boolOpt(flag, value, key);
        break;
      case 'volume-nocopy':
        volOpts.NoCopy = boolOpt(flag, value, key);
        break;
      case 'volume-subpath':
        volOpts.Subpath = need();
        break;
      case 'volume-driver':
        volOpts.DriverConfig = { ...volOpts.DriverConfig, Name: need() };
        break;
      case 'volume-label': {
        const [k, ...v] = need().split('=');
        volOpts.Labels = { ...volOpts.Labels, [k!]: v.join('=') };
        break;
      }
      case 'volume-opt': {
        const [k, ...v] = need().split('=');
        volOpts.DriverConfig = {
          ...volOpts.DriverConfig,
          Options: { ...volOpts.DriverConfig?.Options, [k!]: v.join('=') },
        };
        break;
      }
      case 'tmpfs-size': {
        const n = ramInBytes(need());
        if (typeof n === 'string') throw new FlagValueError(flag, spec, n);
        tmpfsSize = n;
        break;
      }
      case 'tmpfs-mode': {
        const v = need();
        if (!/^[0-7]+$/.test(v)) throw new FlagValueError(flag, spec, `invalid tmpfs-mode: ${v}`);
        tmpfsMode = Number.parseInt(v, 8);
        break;
      }
      default:
        throw new FlagValueError(flag, spec, `unexpected key '${key}' in '${field}'`);
    }
  }
  if (m.Target === '') throw new FlagValueError(flag, spec, 'target is required');
  if (m.Type === 'bind' && !m.Source)
    throw new FlagValueError(flag, spec, 'source is required when specifying bind mount');
  if (m.Type === 'tmpfs' && m.Source)
    throw new FlagValueError(flag, spec, 'source is not supported for tmpfs mounts');
  if (m.Type !== 'volume' && Object.keys(volOpts).length)
    throw new FlagValueError(flag, spec, `cannot mix 'volume-*' options with mount type '${m.Type}'`);
  if (m.Type !== 'bind' && Object.keys(bindOpts).length)
    throw new FlagValueError(flag, spec, `cannot mix 'bind-*' options with mount type '${m.Type}'`);
  if (Object.keys(volOpts).length) m.VolumeOptions = volOpts;
  if (Object.keys(bindOpts).length) m.BindOptions = bindOpts;
  if (tmpfsSize !== undefined || tmpfsMode !== undefined) {
    if (m.Type !== 'tmpfs')
      throw new FlagValueError(flag, spec, `cannot mix 'tmpfs-*' options with mount type '${m.Type}'`);
    m.TmpfsOptions = { SizeBytes: tmpfsSize, Mode: tmpfsMode };
  }
  return m;
}

/** --tmpfs /run:rw,size=64m → { "/run": "rw,size=64m" }. */
export function parseTmpfs(specs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of specs) {
    const i = s.indexOf(':');
    const path = i < 0 ? s : s.slice(0, i);
    if (!isAbsolute(path)) throw new CliError(`invalid tmpfs mount path: ${path}`, 125);
    out[path] = i < 0 ? '' : s.slice(i + 1);
  }
  return out;
}
