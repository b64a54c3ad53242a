// Original file: proto/supervisor.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Empty as _berth_supervisor_v1_Empty, Empty__Output as _berth_supervisor_v1_Empty__Output } from '../../../berth/supervisor/v1/Empty.js';
import type { ListSnapshotsRequest as _berth_supervisor_v1_ListSnapshotsRequest, ListSnapshotsRequest__Output as _berth_supervisor_v1_ListSnapshotsRequest__Output } from '../../../berth/supervisor/v1/ListSnapshotsRequest.js';
import type { ListSnapshotsResponse as _berth_supervisor_v1_ListSnapshotsResponse, ListSnapshotsResponse__Output as _berth_supervisor_v1_ListSnapshotsResponse__Output } from '../../../berth/supervisor/v1/ListSnapshotsResponse.js';
import type { MountsResponse as _berth_supervisor_v1_MountsResponse, MountsResponse__Output as _berth_supervisor_v1_MountsResponse__Output } from '../../../berth/supervisor/v1/MountsResponse.js';
import type { SnapshotInfo as _berth_supervisor_v1_SnapshotInfo, SnapshotInfo__Output as _berth_supervisor_v1_SnapshotInfo__Output } from '../../../berth/supervisor/v1/SnapshotInfo.js';
import type { SnapshotRequest as _berth_supervisor_v1_SnapshotRequest, SnapshotRequest__Output as _berth_supervisor_v1_SnapshotRequest__Output } from '../../../berth/supervisor/v1/SnapshotRequest.js';
import type { UsageResponse as _berth_supervisor_v1_UsageResponse, UsageResponse__Output as _berth_supervisor_v1_UsageResponse__Output } from '../../../berth/supervisor/v1/UsageResponse.js';

export interface SnapshotsClient extends grpc.Client {
  Commit(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Commit(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Commit(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Commit(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  commit(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  commit(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  commit(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  commit(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  List(argument: _berth_supervisor_v1_ListSnapshotsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListSnapshotsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListSnapshotsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListSnapshotsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListSnapshotsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListSnapshotsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListSnapshotsRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListSnapshotsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListSnapshotsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListSnapshotsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListSnapshotsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListSnapshotsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListSnapshotsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListSnapshotsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListSnapshotsRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListSnapshotsResponse__Output>): grpc.ClientUnaryCall;
  
  Mounts(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  Mounts(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  Mounts(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  Mounts(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  mounts(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  mounts(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  mounts(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  mounts(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  
  Prepare(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  Prepare(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  Prepare(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  Prepare(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  prepare(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  prepare(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  prepare(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  prepare(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  
  Remove(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Remove(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Remove(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Remove(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  remove(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  remove(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  remove(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  remove(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Stat(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_SnapshotInfo__Output>): grpc.ClientUnaryCall;
  Stat(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_SnapshotInfo__Output>): grpc.ClientUnaryCall;
  Stat(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_SnapshotInfo__Output>): grpc.ClientUnaryCall;
  Stat(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_SnapshotInfo__Output>): grpc.ClientUnaryCall;
  stat(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_SnapshotInfo__Output>): grpc.ClientUnaryCall;
  stat(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_SnapshotInfo__Output>): grpc.ClientUnaryCall;
  stat(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_SnapshotInfo__Output>): grpc.ClientUnaryCall;
  stat(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_SnapshotInfo__Output>): grpc.ClientUnaryCall;
  
  Usage(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  Usage(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  Usage(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  Usage(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  usage(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  usage(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  usage(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  usage(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  
  View(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  View(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  View(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  View(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  view(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  view(argument: _berth_supervisor_v1_SnapshotRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  view(argument: _berth_supervisor_v1_SnapshotRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  view(argument: _berth_supervisor_v1_SnapshotRequest, callback: grpc.requestCallback<_berth_supervisor_v1_MountsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface SnapshotsHandlers extends grpc.UntypedServiceImplementation {
  Commit: grpc.handleUnaryCall<_berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_Empty>;
  
  List: grpc.handleUnaryCall<_berth_supervisor_v1_ListSnapshotsRequest__Output, _berth_supervisor_v1_ListSnapshotsResponse>;
  
  Mounts: grpc.handleUnaryCall<_berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_MountsResponse>;
  
  Prepare: grpc.handleUnaryCall<_berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_MountsResponse>;
  
  Remove: grpc.handleUnaryCall<_berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_Empty>;
  
  Stat: grpc.handleUnaryCall<_berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_SnapshotInfo>;
  
  Usage: grpc.handleUnaryCall<_berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_UsageResponse>;
  
  View: grpc.handleUnaryCall<_berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_MountsResponse>;
  
}

export interface SnapshotsDefinition extends grpc.ServiceDefinition {
  Commit: MethodDefinition<_berth_supervisor_v1_SnapshotRequest, _berth_supervisor_v1_Empty, _berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_Empty__Output>
  List: MethodDefinition<_berth_supervisor_v1_ListSnapshotsRequest, _berth_supervisor_v1_ListSnapshotsResponse, _berth_supervisor_v1_ListSnapshotsRequest__Output, _berth_supervisor_v1_ListSnapshotsResponse__Output>
  Mounts: MethodDefinition<_berth_supervisor_v1_SnapshotRequest, _berth_supervisor_v1_MountsResponse, _berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_MountsResponse__Output>
  Prepare: MethodDefinition<_berth_supervisor_v1_SnapshotRequest, _berth_supervisor_v1_MountsResponse, _berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_MountsResponse__Output>
  Remove: MethodDefinition<_berth_supervisor_v1_SnapshotRequest, _berth_supervisor_v1_Empty, _berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_Empty__Output>
  Stat: MethodDefinition<_berth_supervisor_v1_SnapshotRequest, _berth_supervisor_v1_SnapshotInfo, _berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_SnapshotInfo__Output>
  Usage: MethodDefinition<_berth_supervisor_v1_SnapshotRequest, _berth_supervisor_v1_UsageResponse, _berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_UsageResponse__Output>
  View: MethodDefinition<_berth_supervisor_v1_SnapshotRequest, _berth_supervisor_v1_MountsResponse, _berth_supervisor_v1_SnapshotRequest__Output, _berth_supervisor_v1_MountsResponse__Output>
}
