// Original file: proto/supervisor.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GcRequest as _berth_supervisor_v1_GcRequest, GcRequest__Output as _berth_supervisor_v1_GcRequest__Output } from '../../../berth/supervisor/v1/GcRequest.js';
import type { GcResponse as _berth_supervisor_v1_GcResponse, GcResponse__Output as _berth_supervisor_v1_GcResponse__Output } from '../../../berth/supervisor/v1/GcResponse.js';

export interface GcClient extends grpc.Client {
  Collect(argument: _berth_supervisor_v1_GcRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_GcResponse__Output>): grpc.ClientUnaryCall;
  Collect(argument: _berth_supervisor_v1_GcRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_GcResponse__Output>): grpc.ClientUnaryCall;
  Collect(argument: _berth_supervisor_v1_GcRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_GcResponse__Output>): grpc.ClientUnaryCall;
  Collect(argument: _berth_supervisor_v1_GcRequest, callback: grpc.requestCallback<_berth_supervisor_v1_GcResponse__Output>): grpc.ClientUnaryCall;
  collect(argument: _berth_supervisor_v1_GcRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_GcResponse__Output>): grpc.ClientUnaryCall;
  collect(argument: _berth_supervisor_v1_GcRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_GcResponse__Output>): grpc.ClientUnaryCall;
  collect(argument: _berth_supervisor_v1_GcRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_GcResponse__Output>): grpc.ClientUnaryCall;
  collect(argument: _berth_supervisor_v1_GcRequest, callback: grpc.requestCallback<_berth_supervisor_v1_GcResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface GcHandlers extends grpc.UntypedServiceImplementation {
  Collect: grpc.handleUnaryCall<_berth_supervisor_v1_GcRequest__Output, _berth_supervisor_v1_GcResponse>;
  
}

export interface GcDefinition extends grpc.ServiceDefinition {
  Collect: MethodDefinition<_berth_supervisor_v1_GcRequest, _berth_supervisor_v1_GcResponse, _berth_supervisor_v1_GcRequest__Output, _berth_supervisor_v1_GcResponse__Output>
}
