// Original file: proto/supervisor.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Container as _berth_supervisor_v1_Container, Container__Output as _berth_supervisor_v1_Container__Output } from '../../../berth/supervisor/v1/Container.js';
import type { CreateContainerRequest as _berth_supervisor_v1_CreateContainerRequest, CreateContainerRequest__Output as _berth_supervisor_v1_CreateContainerRequest__Output } from '../../../berth/supervisor/v1/CreateContainerRequest.js';
import type { DeleteContainerRequest as _berth_supervisor_v1_DeleteContainerRequest, DeleteContainerRequest__Output as _berth_supervisor_v1_DeleteContainerRequest__Output } from '../../../berth/supervisor/v1/DeleteContainerRequest.js';
import type { Empty as _berth_supervisor_v1_Empty, Empty__Output as _berth_supervisor_v1_Empty__Output } from '../../../berth/supervisor/v1/Empty.js';
import type { GetContainerRequest as _berth_supervisor_v1_GetContainerRequest, GetContainerRequest__Output as _berth_supervisor_v1_GetContainerRequest__Output } from '../../../berth/supervisor/v1/GetContainerRequest.js';
import type { ListContainersRequest as _berth_supervisor_v1_ListContainersRequest, ListContainersRequest__Output as _berth_supervisor_v1_ListContainersRequest__Output } from '../../../berth/supervisor/v1/ListContainersRequest.js';
import type { ListContainersResponse as _berth_supervisor_v1_ListContainersResponse, ListContainersResponse__Output as _berth_supervisor_v1_ListContainersResponse__Output } from '../../../berth/supervisor/v1/ListContainersResponse.js';
import type { UpdateContainerRequest as _berth_supervisor_v1_UpdateContainerRequest, UpdateContainerRequest__Output as _berth_supervisor_v1_UpdateContainerRequest__Output } from '../../../berth/supervisor/v1/UpdateContainerRequest.js';

export interface ContainersClient extends grpc.Client {
  Create(argument: _berth_supervisor_v1_CreateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateContainerRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateContainerRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _berth_supervisor_v1_DeleteContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_DeleteContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_DeleteContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_DeleteContainerRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DeleteContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DeleteContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DeleteContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DeleteContainerRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _berth_supervisor_v1_GetContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  Get(argument: _berth_supervisor_v1_GetContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  Get(argument: _berth_supervisor_v1_GetContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  Get(argument: _berth_supervisor_v1_GetContainerRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  get(argument: _berth_supervisor_v1_GetContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  get(argument: _berth_supervisor_v1_GetContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  get(argument: _berth_supervisor_v1_GetContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  get(argument: _berth_supervisor_v1_GetContainerRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  
  List(argument: _berth_supervisor_v1_ListContainersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListContainersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListContainersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListContainersRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListContainersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListContainersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListContainersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListContainersRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _berth_supervisor_v1_UpdateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateContainerRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateContainerRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Container__Output>): grpc.ClientUnaryCall;
  
}

export interface ContainersHandlers extends grpc.UntypedServiceImplementation {
  Create: grpc.handleUnaryCall<_berth_supervisor_v1_CreateContainerRequest__Output, _berth_supervisor_v1_Container>;
  
  Delete: grpc.handleUnaryCall<_berth_supervisor_v1_DeleteContainerRequest__Output, _berth_supervisor_v1_Empty>;
  
  Get: grpc.handleUnaryCall<_berth_supervisor_v1_GetContainerRequest__Output, _berth_supervisor_v1_Container>;
  
  List: grpc.handleUnaryCall<_berth_supervisor_v1_ListContainersRequest__Output, _berth_supervisor_v1_ListContainersResponse>;
  
  Update: grpc.handleUnaryCall<_berth_supervisor_v1_UpdateContainerRequest__Output, _berth_supervisor_v1_Container>;
  
}

export interface ContainersDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_berth_supervisor_v1_CreateContainerRequest, _berth_supervisor_v1_Container, _berth_supervisor_v1_CreateContainerRequest__Output, _berth_supervisor_v1_Container__Output>
  Delete: MethodDefinition<_berth_supervisor_v1_DeleteContainerRequest, _berth_supervisor_v1_Empty, _berth_supervisor_v1_DeleteContainerRequest__Output, _berth_supervisor_v1_Empty__Output>
  Get: MethodDefinition<_berth_supervisor_v1_GetContainerRequest, _berth_supervisor_v1_Container, _berth_supervisor_v1_GetContainerRequest__Output, _berth_supervisor_v1_Container__Output>
  List: MethodDefinition<_berth_supervisor_v1_ListContainersRequest, _berth_supervisor_v1_ListContainersResponse, _berth_supervisor_v1_ListContainersRequest__Output, _berth_supervisor_v1_ListContainersResponse__Output>
  Update: MethodDefinition<_berth_supervisor_v1_UpdateContainerRequest, _berth_supervisor_v1_Container, _berth_supervisor_v1_UpdateContainerRequest__Output, _berth_supervisor_v1_Container__Output>
}
