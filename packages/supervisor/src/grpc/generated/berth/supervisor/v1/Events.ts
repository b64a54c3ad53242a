// Original file: proto/supervisor.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Empty as _berth_supervisor_v1_Empty, Empty__Output as _berth_supervisor_v1_Empty__Output } from '../../../berth/supervisor/v1/Empty.js';
import type { Event as _berth_supervisor_v1_Event, Event__Output as _berth_supervisor_v1_Event__Output } from '../../../berth/supervisor/v1/Event.js';
import type { PublishRequest as _berth_supervisor_v1_PublishRequest, PublishRequest__Output as _berth_supervisor_v1_PublishRequest__Output } from '../../../berth/supervisor/v1/PublishRequest.js';
import type { SubscribeRequest as _berth_supervisor_v1_SubscribeRequest, SubscribeRequest__Output as _berth_supervisor_v1_SubscribeRequest__Output } from '../../../berth/supervisor/v1/SubscribeRequest.js';

export interface EventsClient extends grpc.Client {
  Publish(argument: _berth_supervisor_v1_PublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Publish(argument: _berth_supervisor_v1_PublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Publish(argument: _berth_supervisor_v1_PublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Publish(argument: _berth_supervisor_v1_PublishRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  publish(argument: _berth_supervisor_v1_PublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  publish(argument: _berth_supervisor_v1_PublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  publish(argument: _berth_supervisor_v1_PublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  publish(argument: _berth_supervisor_v1_PublishRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Subscribe(argument: _berth_supervisor_v1_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_berth_supervisor_v1_Event__Output>;
  Subscribe(argument: _berth_supervisor_v1_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_berth_supervisor_v1_Event__Output>;
  subscribe(argument: _berth_supervisor_v1_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_berth_supervisor_v1_Event__Output>;
  subscribe(argument: _berth_supervisor_v1_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_berth_supervisor_v1_Event__Output>;
  
}

export interface EventsHandlers extends grpc.UntypedServiceImplementation {
  Publish: grpc.handleUnaryCall<_berth_supervisor_v1_PublishRequest__Output, _berth_supervisor_v1_Empty>;
  
  Subscribe: grpc.handleServerStreamingCall<_berth_supervisor_v1_SubscribeRequest__Output, _berth_supervisor_v1_Event>;
  
}

export interface EventsDefinition extends grpc.ServiceDefinition {
  Publish: MethodDefinition<_berth_supervisor_v1_PublishRequest, _berth_supervisor_v1_Empty, _berth_supervisor_v1_PublishRequest__Output, _berth_supervisor_v1_Empty__Output>
  Subscribe: MethodDefinition<_berth_supervisor_v1_SubscribeRequest, _berth_supervisor_v1_Event, _berth_supervisor_v1_SubscribeRequest__Output, _berth_supervisor_v1_Event__Output>
}
