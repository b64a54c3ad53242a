import { z } from 'zod';
import { ImageConfig, ImageContainerConfig } from '../image/config.js';

// Docker image config (moby's image spec v1.3, media type application/vnd.docker.container.image.v1+json):
// the OCI image config plus fields Docker kept. Unknown fields are accepted and dropped.

/** Durations are integers in nanoseconds; 0 means "inherit". */
const Nanoseconds = z.number().refine(Number.isInteger, { message: 'expected integer nanoseconds' });

export const DockerHealthcheck = z.object({
  /** `[]` inherit, `["NONE"]` disable, `["CMD", args...]`, `["CMD-SHELL", command]`. */
  Test: z.array(z.string()).nullable().optional(),
  Interval: Nanoseconds.optional(),
  Timeout: Nanoseconds.optional(),
  StartPeriod: Nanoseconds.optional(),
  StartInterval: Nanoseconds.optional(),
  Retries: z.number().refine(Number.isInteger, { message: 'expected integer' }).optional(),
});
export type DockerHealthcheck = z.infer<typeof DockerHealthcheck>;

export const DockerContainerConfig = ImageContainerConfig.extend({
  Hostname: z.string().optional(),
  Domainname: z.string().optional(),
  AttachStdin: z.boolean().optional(),
  AttachStdout: z.boolean().optional(),
  AttachStderr: z.boolean().optional(),
  Tty: z.boolean().optional(),
  OpenStdin: z.boolean().optional(),
  StdinOnce: z.boolean().optional(),
  /** Parent image id used to build this one. */
  Image: z.string().optional(),
  Healthcheck: DockerHealthcheck.nullable().optional(),
  /** Dockerfile instructions run when this image is used as a base. */
  OnBuild: z.array(z.string()).nullable().optional(),
  /** Shell for the shell form of RUN/CMD/ENTRYPOINT, e.g. `["/bin/sh", "-c"]`. */
  Shell: z.array(z.string()).nullable().optional(),
  NetworkDisabled: z.boolean().optional(),
  MacAddress: z.string().optional(),
  /** Seconds to wait after StopSignal before SIGKILL. */
  StopTimeout: z.number().nullable().optional(),
  /** Reserved by the OCI spec, written by old Docker versions. */
  Memory: z.number().optional(),
  MemorySwap: z.number().optional(),
  CpuShares: z.number().optional(),
});
export type DockerContainerConfig = z.infer<typeof DockerContainerConfig>;

export const DockerImageConfig = ImageConfig.extend({
  config: DockerContainerConfig.optional(),
  /** Legacy: the config of the build container; free-form, kept whole. */
  container_config: z.looseObject({}).optional(),
  container: z.string().optional(),
  docker_version: z.string().optional(),
  id: z.string().optional(),
  parent: z.string().optional(),
  comment: z.string().optional(),
});
export type DockerImageConfig = z.infer<typeof DockerImageConfig>;
