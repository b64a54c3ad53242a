// Original file: proto/supervisor.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ContentInfo as _berth_supervisor_v1_ContentInfo, ContentInfo__Output as _berth_supervisor_v1_ContentInfo__Output } from '../../../berth/supervisor/v1/ContentInfo.js';
import type { DigestRequest as _berth_supervisor_v1_DigestRequest, DigestRequest__Output as _berth_supervisor_v1_DigestRequest__Output } from '../../../berth/supervisor/v1/DigestRequest.js';
import type { Empty as _berth_supervisor_v1_Empty, Empty__Output as _berth_supervisor_v1_Empty__Output } from '../../../berth/supervisor/v1/Empty.js';
import type { ListContentRequest as _berth_supervisor_v1_ListContentRequest, ListContentRequest__Output as _berth_supervisor_v1_ListContentRequest__Output } from '../../../berth/supervisor/v1/ListContentRequest.js';
import type { ListContentResponse as _berth_supervisor_v1_ListContentResponse, ListContentResponse__Output as _berth_supervisor_v1_ListContentResponse__Output } from '../../../berth/supervisor/v1/ListContentResponse.js';
import type { ReadContentResponse as _berth_supervisor_v1_ReadContentResponse, ReadContentResponse__Output as _berth_supervisor_v1_ReadContentResponse__Output } from '../../../berth/supervisor/v1/ReadContentResponse.js';
import type { UpdateContentRequest as _berth_supervisor_v1_UpdateContentRequest, UpdateContentRequest__Output as _berth_supervisor_v1_UpdateContentRequest__Output } from '../../../berth/supervisor/v1/UpdateContentRequest.js';
import type { WriteContentRequest as _berth_supervisor_v1_WriteContentRequest, WriteContentRequest__Output as _berth_supervisor_v1_WriteContentRequest__Output } from '../../../berth/supervisor/v1/WriteContentRequest.js';

export interface ContentClient extends grpc.Client {
  Delete(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_DigestRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_DigestRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DigestRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DigestRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Info(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  Info(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  Info(argument: _berth_supervisor_v1_DigestRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  Info(argument: _berth_supervisor_v1_DigestRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  info(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  info(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  info(argument: _berth_supervisor_v1_DigestRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  info(argument: _berth_supervisor_v1_DigestRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  
  List(argument: _berth_supervisor_v1_ListContentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListContentResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListContentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListContentResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListContentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListContentResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListContentRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListContentResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListContentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListContentResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListContentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListContentResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListContentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListContentResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListContentRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListContentResponse__Output>): grpc.ClientUnaryCall;
  
  Read(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ReadContentResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ReadContentResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _berth_supervisor_v1_DigestRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ReadContentResponse__Output>): grpc.ClientUnaryCall;
  Read(argument: _berth_supervisor_v1_DigestRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ReadContentResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ReadContentResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _berth_supervisor_v1_DigestRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ReadContentResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _berth_supervisor_v1_DigestRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ReadContentResponse__Output>): grpc.ClientUnaryCall;
  read(argument: _berth_supervisor_v1_DigestRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ReadContentResponse__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _berth_supervisor_v1_UpdateContentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateContentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateContentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateContentRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateContentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateContentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateContentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateContentRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ContentInfo__Output>): grpc.ClientUnaryCall;
  
  Write(argument: _berth_supervisor_v1_WriteContentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_DigestRequest__Output>): grpc.ClientUnaryCall;
  Write(argument: _berth_supervisor_v1_WriteContentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_DigestRequest__Output>): grpc.ClientUnaryCall;
  Write(argument: _berth_supervisor_v1_WriteContentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_DigestRequest__Output>): grpc.ClientUnaryCall;
  Write(argument: _berth_supervisor_v1_WriteContentRequest, callback: grpc.requestCallback<_berth_supervisor_v1_DigestRequest__Output>): grpc.ClientUnaryCall;
  write(argument: _berth_supervisor_v1_WriteContentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_DigestRequest__Output>): grpc.ClientUnaryCall;
  write(argument: _berth_supervisor_v1_WriteContentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_DigestRequest__Output>): grpc.ClientUnaryCall;
  write(argument: _berth_supervisor_v1_WriteContentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_DigestRequest__Output>): grpc.ClientUnaryCall;
  write(argument: _berth_supervisor_v1_WriteContentRequest, callback: grpc.requestCallback<_berth_supervisor_v1_DigestRequest__Output>): grpc.ClientUnaryCall;
  
}

export interface ContentHandlers extends grpc.UntypedServiceImplementation {
  Delete: grpc.handleUnaryCall<_berth_supervisor_v1_DigestRequest__Output, _berth_supervisor_v1_Empty>;
  
  Info: grpc.handleUnaryCall<_berth_supervisor_v1_DigestRequest__Output, _berth_supervisor_v1_ContentInfo>;
  
  List: grpc.handleUnaryCall<_berth_supervisor_v1_ListContentRequest__Output, _berth_supervisor_v1_ListContentResponse>;
  
  Read: grpc.handleUnaryCall<_berth_supervisor_v1_DigestRequest__Output, _berth_supervisor_v1_ReadContentResponse>;
  
  Update: grpc.handleUnaryCall<_berth_supervisor_v1_UpdateContentRequest__Output, _berth_supervisor_v1_ContentInfo>;
  
  Write: grpc.handleUnaryCall<_berth_supervisor_v1_WriteContentRequest__Output, _berth_supervisor_v1_DigestRequest>;
  
}

export interface ContentDefinition extends grpc.ServiceDefinition {
  Delete: MethodDefinition<_berth_supervisor_v1_DigestRequest, _berth_supervisor_v1_Empty, _berth_supervisor_v1_DigestRequest__Output, _berth_supervisor_v1_Empty__Output>
  Info: MethodDefinition<_berth_supervisor_v1_DigestRequest, _berth_supervisor_v1_ContentInfo, _berth_supervisor_v1_DigestRequest__Output, _berth_supervisor_v1_ContentInfo__Output>
  List: MethodDefinition<_berth_supervisor_v1_ListContentRequest, _berth_supervisor_v1_ListContentResponse, _berth_supervisor_v1_ListContentRequest__Output, _berth_supervisor_v1_ListContentResponse__Output>
  Read: MethodDefinition<_berth_supervisor_v1_DigestRequest, _berth_supervisor_v1_ReadContentResponse, _berth_supervisor_v1_DigestRequest__Output, _berth_supervisor_v1_ReadContentResponse__Output>
  Update: MethodDefinition<_berth_supervisor_v1_UpdateContentRequest, _berth_supervisor_v1_ContentInfo, _berth_supervisor_v1_UpdateContentRequest__Output, _berth_supervisor_v1_ContentInfo__Output>
  Write: MethodDefinition<_berth_supervisor_v1_WriteContentRequest, _berth_supervisor_v1_DigestRequest, _berth_supervisor_v1_WriteContentRequest__Output, _berth_supervisor_v1_DigestRequest__Output>
}
