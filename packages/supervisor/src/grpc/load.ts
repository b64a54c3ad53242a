// The service definitions, loaded from proto/supervisor.proto at run time by @grpc/proto-loader
// (protobufjs underneath: pure JavaScript, nothing to download or compile at install time).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GrpcObject, loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

export const SERVICES = [
  'Containers',
  'Tasks',
  'Images',
  'Content',
  'Snapshots',
  'Leases',
  'Gc',
  'Events',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** proto/ beside src/ or dist/ (the package ships it in "files"). */
function protoPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const p = join(dir, 'proto', 'supervisor.proto');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error('proto/supervisor.proto not found beside @berth/supervisor');
}

let cached: Record<ServiceName, ServiceClientConstructor> | undefined;

export function services(): Record<ServiceName, ServiceClientConstructor> {
  if (cached) return cached;
  const def = loadSync(protoPath(), {
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = loadPackageDefinition(def) as unknown as { berth: { supervisor: { v1: GrpcObject } } };
  const v1 = pkg.berth.supervisor.v1;
  cached = Object.fromEntries(SERVICES.map((s) => [s, v1[s] as ServiceClientConstructor])) as Record<
    ServiceName,
    ServiceClientConstructor
  >;
  return cached;
}
