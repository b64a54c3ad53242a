// The shapes of the daemon's answers that the client reads, validated loosely: the fields the CLI
// uses are checked, everything else is passed through untouched (newer daemons add fields).
import { z } from 'zod';

const Labels = z.record(z.string(), z.string()).nullish();

export const Port = z.looseObject({
  IP: z.string().optional(),
  PrivatePort: z.number(),
  PublicPort: z.number().optional(),
  Type: z.string(),
});
export type Port = z.infer<typeof Port>;

export const ContainerSummary = z.looseObject({
  Id: z.string(),
  Names: z.array(z.string()).nullish(),
  Image: z.string().default(''),
  ImageID: z.string().optional(),
  Command: z.string().default(''),
  Created: z.number().default(0),
  Ports: z.array(Port).nullish(),
  SizeRw: z.number().optional(),
  SizeRootFs: z.number().optional(),
  Labels,
  State: z.string().default(''),
  Status: z.string().default(''),
  Mounts: z.array(z.looseObject({ Name: z.string().optional(), Source: z.string().optional() })).nullish(),
  NetworkSettings: z.looseObject({ Networks: z.record(z.string(), z.unknown()).nullish() }).nullish(),
});
export type ContainerSummary = z.infer<typeof ContainerSummary>;

export const ContainerInspect = z.looseObject({
  Id: z.string(),
  Name: z.string().default(''),
  Image: z.string().optional(),
  Created: z.string().optional(),
  State: z
    .looseObject({
      Status: z.string().optional(),
      Running: z.boolean().optional(),
      Paused: z.boolean().optional(),
      ExitCode: z.number().optional(),
      Pid: z.number().optional(),
    })
    .optional(),
  Config: z
    .looseObject({
      Tty: z.boolean().optional(),
      OpenStdin: z.boolean().optional(),
      AttachStdin: z.boolean().optional(),
      Image: z.string().optional(),
    })
    .optional(),
  HostConfig: z.looseObject({ AutoRemove: z.boolean().optional() }).optional(),
  NetworkSettings: z
    .looseObject({
      Ports: z
        .record(z.string(), z.array(z.looseObject({ HostIp: z.string(), HostPort: z.string() })).nullable())
        .nullish(),
    })
    .optional(),
});
export type ContainerInspect = z.infer<typeof ContainerInspect>;

export const CreateResponse = z.looseObject({
  Id: z.string(),
  Warnings: z.array(z.string()).nullish(),
});
export type CreateResponse = z.infer<typeof CreateResponse>;

export const WaitResponse = z.looseObject({
  StatusCode: z.number(),
  Error: z.looseObject({ Message: z.string().optional() }).nullish(),
});
export type WaitResponse = z.infer<typeof WaitResponse>;

export const IdResponse = z.looseObject({ Id: z.string() });

export const ExecInspect = z.looseObject({
  ID: z.string().optional(),
  Running: z.boolean().optional(),
  ExitCode: z.number().nullish(),
  Pid: z.number().optional(),
});
export type ExecInspect = z.infer<typeof ExecInspect>;

export const ImageSummary = z.looseObject({
  Id: z.string(),
  ParentId: z.string().optional(),
  RepoTags: z.array(z.string()).nullish(),
  RepoDigests: z.array(z.string()).nullish(),
  Created: z.number().default(0),
  Size: z.number().default(0),
  SharedSize: z.number().optional(),
  Labels,
  Containers: z.number().optional(),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

export const DeleteItem = z.looseObject({ Untagged: z.string().optional(), Deleted: z.string().optional() });
export type DeleteItem = z.infer<typeof DeleteItem>;

export const TopResponse = z.looseObject({
  Titles: z.array(z.string()).nullish(),
  Processes: z.array(z.array(z.string())).nullish(),
});
export type TopResponse = z.infer<typeof TopResponse>;

export const Volume = z.looseObject({
  Name: z.string(),
  Driver: z.string().default('local'),
  Mountpoint: z.string().optional(),
  Labels,
  Scope: z.string().optional(),
  CreatedAt: z.string().optional(),
});
export type Volume = z.infer<typeof Volume>;

export const VolumeList = z.looseObject({
  Volumes: z.array(Volume).nullish(),
  Warnings: z.array(z.string()).nullish(),
});

export const Network = z.looseObject({
  Name: z.string(),
  Id: z.string(),
  Driver: z.string().default(''),
  Scope: z.string().default('local'),
  Created: z.string().optional(),
  Internal: z.boolean().optional(),
  Labels,
});
export type Network = z.infer<typeof Network>;

export const PruneReport = z.looseObject({
  ContainersDeleted: z.array(z.string()).nullish(),
  ImagesDeleted: z.array(DeleteItem).nullish(),
  VolumesDeleted: z.array(z.string()).nullish(),
  NetworksDeleted: z.array(z.string()).nullish(),
  SpaceReclaimed: z.number().optional(),
});
export type PruneReport = z.infer<typeof PruneReport>;

export const Version = z.looseObject({
  Version: z.string().default(''),
  ApiVersion: z.string().default(''),
  MinAPIVersion: z.string().optional(),
  GitCommit: z.string().optional(),
  GoVersion: z.string().optional(),
  Os: z.string().optional(),
  Arch: z.string().optional(),
  KernelVersion: z.string().optional(),
  BuildTime: z.string().optional(),
  Components: z
    .array(z.looseObject({ Name: z.string(), Version: z.string(), Details: z.unknown().optional() }))
    .nullish(),
});
export type Version = z.infer<typeof Version>;

/** /info is large and varies by daemon: kept as a record, the CLI prints what is there. */
export const Info = z.record(z.string(), z.unknown());
export type Info = z.infer<typeof Info>;

export const SystemDf = z.looseObject({
  LayersSize: z.number().optional(),
  Images: z.array(ImageSummary).nullish(),
  Containers: z.array(ContainerSummary).nullish(),
  Volumes: z
    .array(
      Volume.extend({
        UsageData: z.looseObject({ Size: z.number(), RefCount: z.number() }).nullish(),
      }),
    )
    .nullish(),
  BuildCache: z
    .array(z.looseObject({ Size: z.number().optional(), InUse: z.boolean().optional() }))
    .nullish(),
});
export type SystemDf = z.infer<typeof SystemDf>;

/** One sample of /containers/{id}/stats (the fields `stats` shows). */
export const StatsSample = z.looseObject({
  read: z.string().optional(),
  name: z.string().optional(),
  id: z.string().optional(),
  pids_stats: z.looseObject({ current: z.number().optional() }).optional(),
  cpu_stats: z
    .looseObject({
      cpu_usage: z.looseObject({ total_usage: z.number().default(0) }).optional(),
      system_cpu_usage: z.number().optional(),
      online_cpus: z.number().optional(),
    })
    .optional(),
  precpu_stats: z
    .looseObject({
      cpu_usage: z.looseObject({ total_usage: z.number().default(0) }).optional(),
      system_cpu_usage: z.number().optional(),
    })
    .optional(),
  memory_stats: z
    .looseObject({
      usage: z.number().optional(),
      limit: z.number().optional(),
      stats: z.record(z.string(), z.number()).optional(),
    })
    .optional(),
  networks: z
    .record(z.string(), z.looseObject({ rx_bytes: z.number().default(0), tx_bytes: z.number().default(0) }))
    .nullish(),
  blkio_stats: z
    .looseObject({
      io_service_bytes_recursive: z.array(z.looseObject({ op: z.string(), value: z.number() })).nullish(),
    })
    .optional(),
});
export type StatsSample = z.infer<typeof StatsSample>;

export const Event = z.looseObject({
  Type: z.string().optional(),
  Action: z.string().optional(),
  Actor: z
    .looseObject({ ID: z.string().optional(), Attributes: z.record(z.string(), z.string()).nullish() })
    .optional(),
  scope: z.string().optional(),
  time: z.number().optional(),
  timeNano: z.number().optional(),
  /** timeNano's digits as the daemon sent them (set by DockerClient.events). */
  timeNanoText: z.string().optional(),
  status: z.string().optional(),
  id: z.string().optional(),
  from: z.string().optional(),
});
export type Event = z.infer<typeof Event>;

/** The X-Docker-Container-Path-Stat header of archive HEAD/GET (base64 JSON). */
export const PathStat = z.looseObject({
  name: z.string(),
  size: z.number(),
  mode: z.number(),
  mtime: z.string().optional(),
  linkTarget: z.string().optional(),
});
export type PathStat = z.infer<typeof PathStat>;

/** Docker's JSONMessage: one line of pull/push/load/build progress. */
export const JsonMessage = z.looseObject({
  id: z.string().optional(),
  status: z.string().optional(),
  stream: z.string().optional(),
  progress: z.string().optional(),
  progressDetail: z.looseObject({ current: z.number().optional(), total: z.number().optional() }).optional(),
  error: z.string().optional(),
  errorDetail: z.looseObject({ code: z.number().optional(), message: z.string().optional() }).optional(),
  aux: z.unknown().optional(),
  time: z.number().optional(),
});
export type JsonMessage = z.infer<typeof JsonMessage>;
