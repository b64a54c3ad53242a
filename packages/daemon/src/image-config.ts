// Docker's merge of an image's config into the container's (daemon/create.go + merge.go): the
// container's own values win; Entrypoint given without Cmd drops the image's Cmd; Env merges by key.
import type { ContainerConfig } from './types.js';

/** The `config` section of an OCI/Docker image config (the fields the daemon reads). */
export interface ImageRunConfig {
  User?: string;
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  Volumes?: Record<string, unknown> | null;
  ExposedPorts?: Record<string, unknown> | null;
  StopSignal?: string;
  Healthcheck?: unknown;
  Shell?: string[] | null;
}

const asList = (v: string[] | string | null | undefined): string[] | undefined =>
  v === null || v === undefined ? undefined : typeof v === 'string' ? [v] : v;

function mergeEnv(image: readonly string[], own: readonly string[]): string[] {
  const out = new Map<string, string>();
  for (const e of [...image, ...own]) {
    const i = e.indexOf('=');
    out.set(i < 0 ? e : e.slice(0, i), e);
  }
  return [...out.values()];
}

export function mergeImageConfig(
  config: ContainerConfig,
  image: ImageRunConfig | undefined,
): ContainerConfig {
  const img = image ?? {};
  const out: ContainerConfig = { ...config };
  const entrypoint = asList(config.Entrypoint);
  const cmd = asList(config.Cmd);
  if (entrypoint === undefined) {
    out.Entrypoint = img.Entrypoint ?? null;
    out.Cmd = cmd && cmd.length > 0 ? cmd : (img.Cmd ?? null);
  } else {
    out.Entrypoint = entrypoint;
    out.Cmd = cmd ?? null;
  }
  out.Env = mergeEnv(img.Env ?? [], config.Env ?? []);
  if (!config.User) out.User = img.User ?? '';
  if (!config.WorkingDir) out.WorkingDir = img.WorkingDir ?? '';
  out.Labels = { ...(img.Labels ?? {}), ...(config.Labels ?? {}) };
  out.Volumes = { ...(img.Volumes ?? {}), ...(config.Volumes ?? {}) };
  out.ExposedPorts = { ...(img.ExposedPorts ?? {}), ...(config.ExposedPorts ?? {}) };
  if (!config.StopSignal && img.StopSignal) out.StopSignal = img.StopSignal;
  if (!config.Healthcheck && img.Healthcheck)
    out.Healthcheck = img.Healthcheck as ContainerConfig['Healthcheck'];
  if (!config.Shell && img.Shell) out.Shell = img.Shell;
  return out;
}

/** Path and Args of the container's process (Entrypoint + Cmd); empty when the image gives none. */
export function commandOf(config: ContainerConfig): string[] {
  return [...(asList(config.Entrypoint) ?? []), ...(asList(config.Cmd) ?? [])];
}
