// Original file: proto/supervisor.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateImageRequest as _berth_supervisor_v1_CreateImageRequest, CreateImageRequest__Output as _berth_supervisor_v1_CreateImageRequest__Output } from '../../../berth/supervisor/v1/CreateImageRequest.js';
import type { Empty as _berth_supervisor_v1_Empty, Empty__Output as _berth_supervisor_v1_Empty__Output } from '../../../berth/supervisor/v1/Empty.js';
import type { Image as _berth_supervisor_v1_Image, Image__Output as _berth_supervisor_v1_Image__Output } from '../../../berth/supervisor/v1/Image.js';
import type { ImageRef as _berth_supervisor_v1_ImageRef, ImageRef__Output as _berth_supervisor_v1_ImageRef__Output } from '../../../berth/supervisor/v1/ImageRef.js';
import type { ListImagesRequest as _berth_supervisor_v1_ListImagesRequest, ListImagesRequest__Output as _berth_supervisor_v1_ListImagesRequest__Output } from '../../../berth/supervisor/v1/ListImagesRequest.js';
import type { ListImagesResponse as _berth_supervisor_v1_ListImagesResponse, ListImagesResponse__Output as _berth_supervisor_v1_ListImagesResponse__Output } from '../../../berth/supervisor/v1/ListImagesResponse.js';
import type { UpdateImageRequest as _berth_supervisor_v1_UpdateImageRequest, UpdateImageRequest__Output as _berth_supervisor_v1_UpdateImageRequest__Output } from '../../../berth/supervisor/v1/UpdateImageRequest.js';

export interface ImagesClient extends grpc.Client {
  Create(argument: _berth_supervisor_v1_CreateImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateImageRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateImageRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _berth_supervisor_v1_ImageRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_ImageRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_ImageRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_ImageRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_ImageRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_ImageRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_ImageRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_ImageRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _berth_supervisor_v1_ImageRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  Get(argument: _berth_supervisor_v1_ImageRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  Get(argument: _berth_supervisor_v1_ImageRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  Get(argument: _berth_supervisor_v1_ImageRef, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  get(argument: _berth_supervisor_v1_ImageRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  get(argument: _berth_supervisor_v1_ImageRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  get(argument: _berth_supervisor_v1_ImageRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  get(argument: _berth_supervisor_v1_ImageRef, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  
  List(argument: _berth_supervisor_v1_ListImagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListImagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListImagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListImagesRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListImagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListImagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListImagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListImagesRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _berth_supervisor_v1_UpdateImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateImageRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateImageRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Image__Output>): grpc.ClientUnaryCall;
  
}

export interface ImagesHandlers extends grpc.UntypedServiceImplementation {
  Create: grpc.handleUnaryCall<_berth_supervisor_v1_CreateImageRequest__Output, _berth_supervisor_v1_Image>;
  
  Delete: grpc.handleUnaryCall<_berth_supervisor_v1_ImageRef__Output, _berth_supervisor_v1_Empty>;
  
  Get: grpc.handleUnaryCall<_berth_supervisor_v1_ImageRef__Output, _berth_supervisor_v1_Image>;
  
  List: grpc.handleUnaryCall<_berth_supervisor_v1_ListImagesRequest__Output, _berth_supervisor_v1_ListImagesResponse>;
  
  Update: grpc.handleUnaryCall<_berth_supervisor_v1_UpdateImageRequest__Output, _berth_supervisor_v1_Image>;
  
}

export interface ImagesDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_berth_supervisor_v1_CreateImageRequest, _berth_supervisor_v1_Image, _berth_supervisor_v1_CreateImageRequest__Output, _berth_supervisor_v1_Image__Output>
  Delete: MethodDefinition<_berth_supervisor_v1_ImageRef, _berth_supervisor_v1_Empty, _berth_supervisor_v1_ImageRef__Output, _berth_supervisor_v1_Empty__Output>
  Get: MethodDefinition<_berth_supervisor_v1_ImageRef, _berth_supervisor_v1_Image, _berth_supervisor_v1_ImageRef__Output, _berth_supervisor_v1_Image__Output>
  List: MethodDefinition<_berth_supervisor_v1_ListImagesRequest, _berth_supervisor_v1_ListImagesResponse, _berth_supervisor_v1_ListImagesRequest__Output, _berth_supervisor_v1_ListImagesResponse__Output>
  Update: MethodDefinition<_berth_supervisor_v1_UpdateImageRequest, _berth_supervisor_v1_Image, _berth_supervisor_v1_UpdateImageRequest__Output, _berth_supervisor_v1_Image__Output>
}
