// Original file: proto/supervisor.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateLeaseRequest as _berth_supervisor_v1_CreateLeaseRequest, CreateLeaseRequest__Output as _berth_supervisor_v1_CreateLeaseRequest__Output } from '../../../berth/supervisor/v1/CreateLeaseRequest.js';
import type { Empty as _berth_supervisor_v1_Empty, Empty__Output as _berth_supervisor_v1_Empty__Output } from '../../../berth/supervisor/v1/Empty.js';
import type { Lease as _berth_supervisor_v1_Lease, Lease__Output as _berth_supervisor_v1_Lease__Output } from '../../../berth/supervisor/v1/Lease.js';
import type { LeaseRef as _berth_supervisor_v1_LeaseRef, LeaseRef__Output as _berth_supervisor_v1_LeaseRef__Output } from '../../../berth/supervisor/v1/LeaseRef.js';
import type { LeaseResourceRequest as _berth_supervisor_v1_LeaseResourceRequest, LeaseResourceRequest__Output as _berth_supervisor_v1_LeaseResourceRequest__Output } from '../../../berth/supervisor/v1/LeaseResourceRequest.js';
import type { ListLeaseResourcesResponse as _berth_supervisor_v1_ListLeaseResourcesResponse, ListLeaseResourcesResponse__Output as _berth_supervisor_v1_ListLeaseResourcesResponse__Output } from '../../../berth/supervisor/v1/ListLeaseResourcesResponse.js';
import type { ListLeasesRequest as _berth_supervisor_v1_ListLeasesRequest, ListLeasesRequest__Output as _berth_supervisor_v1_ListLeasesRequest__Output } from '../../../berth/supervisor/v1/ListLeasesRequest.js';
import type { ListLeasesResponse as _berth_supervisor_v1_ListLeasesResponse, ListLeasesResponse__Output as _berth_supervisor_v1_ListLeasesResponse__Output } from '../../../berth/supervisor/v1/ListLeasesResponse.js';

export interface LeasesClient extends grpc.Client {
  AddResource(argument: _berth_supervisor_v1_LeaseResourceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  AddResource(argument: _berth_supervisor_v1_LeaseResourceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  AddResource(argument: _berth_supervisor_v1_LeaseResourceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  AddResource(argument: _berth_supervisor_v1_LeaseResourceRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  addResource(argument: _berth_supervisor_v1_LeaseResourceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  addResource(argument: _berth_supervisor_v1_LeaseResourceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  addResource(argument: _berth_supervisor_v1_LeaseResourceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  addResource(argument: _berth_supervisor_v1_LeaseResourceRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Create(argument: _berth_supervisor_v1_CreateLeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Lease__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateLeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Lease__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateLeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Lease__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateLeaseRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Lease__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateLeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Lease__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateLeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Lease__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateLeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Lease__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateLeaseRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Lease__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _berth_supervisor_v1_LeaseRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_LeaseRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_LeaseRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_LeaseRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_LeaseRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_LeaseRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_LeaseRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_LeaseRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  DeleteResource(argument: _berth_supervisor_v1_LeaseResourceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  DeleteResource(argument: _berth_supervisor_v1_LeaseResourceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  DeleteResource(argument: _berth_supervisor_v1_LeaseResourceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  DeleteResource(argument: _berth_supervisor_v1_LeaseResourceRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteResource(argument: _berth_supervisor_v1_LeaseResourceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteResource(argument: _berth_supervisor_v1_LeaseResourceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteResource(argument: _berth_supervisor_v1_LeaseResourceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  deleteResource(argument: _berth_supervisor_v1_LeaseResourceRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  List(argument: _berth_supervisor_v1_ListLeasesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeasesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListLeasesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeasesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListLeasesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeasesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListLeasesRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeasesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListLeasesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeasesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListLeasesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeasesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListLeasesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeasesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListLeasesRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeasesResponse__Output>): grpc.ClientUnaryCall;
  
  ListResources(argument: _berth_supervisor_v1_LeaseRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeaseResourcesResponse__Output>): grpc.ClientUnaryCall;
  ListResources(argument: _berth_supervisor_v1_LeaseRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeaseResourcesResponse__Output>): grpc.ClientUnaryCall;
  ListResources(argument: _berth_supervisor_v1_LeaseRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeaseResourcesResponse__Output>): grpc.ClientUnaryCall;
  ListResources(argument: _berth_supervisor_v1_LeaseRef, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeaseResourcesResponse__Output>): grpc.ClientUnaryCall;
  listResources(argument: _berth_supervisor_v1_LeaseRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeaseResourcesResponse__Output>): grpc.ClientUnaryCall;
  listResources(argument: _berth_supervisor_v1_LeaseRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeaseResourcesResponse__Output>): grpc.ClientUnaryCall;
  listResources(argument: _berth_supervisor_v1_LeaseRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeaseResourcesResponse__Output>): grpc.ClientUnaryCall;
  listResources(argument: _berth_supervisor_v1_LeaseRef, callback: grpc.requestCallback<_berth_supervisor_v1_ListLeaseResourcesResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface LeasesHandlers extends grpc.UntypedServiceImplementation {
  AddResource: grpc.handleUnaryCall<_berth_supervisor_v1_LeaseResourceRequest__Output, _berth_supervisor_v1_Empty>;
  
  Create: grpc.handleUnaryCall<_berth_supervisor_v1_CreateLeaseRequest__Output, _berth_supervisor_v1_Lease>;
  
  Delete: grpc.handleUnaryCall<_berth_supervisor_v1_LeaseRef__Output, _berth_supervisor_v1_Empty>;
  
  DeleteResource: grpc.handleUnaryCall<_berth_supervisor_v1_LeaseResourceRequest__Output, _berth_supervisor_v1_Empty>;
  
  List: grpc.handleUnaryCall<_berth_supervisor_v1_ListLeasesRequest__Output, _berth_supervisor_v1_ListLeasesResponse>;
  
  ListResources: grpc.handleUnaryCall<_berth_supervisor_v1_LeaseRef__Output, _berth_supervisor_v1_ListLeaseResourcesResponse>;
  
}

export interface LeasesDefinition extends grpc.ServiceDefinition {
  AddResource: MethodDefinition<_berth_supervisor_v1_LeaseResourceRequest, _berth_supervisor_v1_Empty, _berth_supervisor_v1_LeaseResourceRequest__Output, _berth_supervisor_v1_Empty__Output>
  Create: MethodDefinition<_berth_supervisor_v1_CreateLeaseRequest, _berth_supervisor_v1_Lease, _berth_supervisor_v1_CreateLeaseRequest__Output, _berth_supervisor_v1_Lease__Output>
  Delete: MethodDefinition<_berth_supervisor_v1_LeaseRef, _berth_supervisor_v1_Empty, _berth_supervisor_v1_LeaseRef__Output, _berth_supervisor_v1_Empty__Output>
  DeleteResource: MethodDefinition<_berth_supervisor_v1_LeaseResourceRequest, _berth_supervisor_v1_Empty, _berth_supervisor_v1_LeaseResourceRequest__Output, _berth_supervisor_v1_Empty__Output>
  List: MethodDefinition<_berth_supervisor_v1_ListLeasesRequest, _berth_supervisor_v1_ListLeasesResponse, _berth_supervisor_v1_ListLeasesRequest__Output, _berth_supervisor_v1_ListLeasesResponse__Output>
  ListResources: MethodDefinition<_berth_supervisor_v1_LeaseRef, _berth_supervisor_v1_ListLeaseResourcesResponse, _berth_supervisor_v1_LeaseRef__Output, _berth_supervisor_v1_ListLeaseResourcesResponse__Output>
}
