import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AttachIn as _berth_supervisor_v1_AttachIn, AttachIn__Output as _berth_supervisor_v1_AttachIn__Output } from './berth/supervisor/v1/AttachIn.js';
import type { AttachOut as _berth_supervisor_v1_AttachOut, AttachOut__Output as _berth_supervisor_v1_AttachOut__Output } from './berth/supervisor/v1/AttachOut.js';
import type { Container as _berth_supervisor_v1_Container, Container__Output as _berth_supervisor_v1_Container__Output } from './berth/supervisor/v1/Container.js';
import type { ContainersClient as _berth_supervisor_v1_ContainersClient, ContainersDefinition as _berth_supervisor_v1_ContainersDefinition } from './berth/supervisor/v1/Containers.js';
import type { ContentClient as _berth_supervisor_v1_ContentClient, ContentDefinition as _berth_supervisor_v1_ContentDefinition } from './berth/supervisor/v1/Content.js';
import type { ContentInfo as _berth_supervisor_v1_ContentInfo, ContentInfo__Output as _berth_supervisor_v1_ContentInfo__Output } from './berth/supervisor/v1/ContentInfo.js';
import type { CreateContainerRequest as _berth_supervisor_v1_CreateContainerRequest, CreateContainerRequest__Output as _berth_supervisor_v1_CreateContainerRequest__Output } from './berth/supervisor/v1/CreateContainerRequest.js';
import type { CreateImageRequest as _berth_supervisor_v1_CreateImageRequest, CreateImageRequest__Output as _berth_supervisor_v1_CreateImageRequest__Output } from './berth/supervisor/v1/CreateImageRequest.js';
import type { CreateLeaseRequest as _berth_supervisor_v1_CreateLeaseRequest, CreateLeaseRequest__Output as _berth_supervisor_v1_CreateLeaseRequest__Output } from './berth/supervisor/v1/CreateLeaseRequest.js';
import type { CreateTaskRequest as _berth_supervisor_v1_CreateTaskRequest, CreateTaskRequest__Output as _berth_supervisor_v1_CreateTaskRequest__Output } from './berth/supervisor/v1/CreateTaskRequest.js';
import type { DeleteContainerRequest as _berth_supervisor_v1_DeleteContainerRequest, DeleteContainerRequest__Output as _berth_supervisor_v1_DeleteContainerRequest__Output } from './berth/supervisor/v1/DeleteContainerRequest.js';
import type { DeleteTaskRequest as _berth_supervisor_v1_DeleteTaskRequest, DeleteTaskRequest__Output as _berth_supervisor_v1_DeleteTaskRequest__Output } from './berth/supervisor/v1/DeleteTaskRequest.js';
import type { DigestRequest as _berth_supervisor_v1_DigestRequest, DigestRequest__Output as _berth_supervisor_v1_DigestRequest__Output } from './berth/supervisor/v1/DigestRequest.js';
import type { Empty as _berth_supervisor_v1_Empty, Empty__Output as _berth_supervisor_v1_Empty__Output } from './berth/supervisor/v1/Empty.js';
import type { Event as _berth_supervisor_v1_Event, Event__Output as _berth_supervisor_v1_Event__Output } from './berth/supervisor/v1/Event.js';
import type { EventsClient as _berth_supervisor_v1_EventsClient, EventsDefinition as _berth_supervisor_v1_EventsDefinition } from './berth/supervisor/v1/Events.js';
import type { ExecRequest as _berth_supervisor_v1_ExecRequest, ExecRequest__Output as _berth_supervisor_v1_ExecRequest__Output } from './berth/supervisor/v1/ExecRequest.js';
import type { ExitStatus as _berth_supervisor_v1_ExitStatus, ExitStatus__Output as _berth_supervisor_v1_ExitStatus__Output } from './berth/supervisor/v1/ExitStatus.js';
import type { GcClient as _berth_supervisor_v1_GcClient, GcDefinition as _berth_supervisor_v1_GcDefinition } from './berth/supervisor/v1/Gc.js';
import type { GcRequest as _berth_supervisor_v1_GcRequest, GcRequest__Output as _berth_supervisor_v1_GcRequest__Output } from './berth/supervisor/v1/GcRequest.js';
import type { GcResponse as _berth_supervisor_v1_GcResponse, GcResponse__Output as _berth_supervisor_v1_GcResponse__Output } from './berth/supervisor/v1/GcResponse.js';
import type { GetContainerRequest as _berth_supervisor_v1_GetContainerRequest, GetContainerRequest__Output as _berth_supervisor_v1_GetContainerRequest__Output } from './berth/supervisor/v1/GetContainerRequest.js';
import type { Image as _berth_supervisor_v1_Image, Image__Output as _berth_supervisor_v1_Image__Output } from './berth/supervisor/v1/Image.js';
import type { ImageRef as _berth_supervisor_v1_ImageRef, ImageRef__Output as _berth_supervisor_v1_ImageRef__Output } from './berth/supervisor/v1/ImageRef.js';
import type { ImagesClient as _berth_supervisor_v1_ImagesClient, ImagesDefinition as _berth_supervisor_v1_ImagesDefinition } from './berth/supervisor/v1/Images.js';
import type { KillRequest as _berth_supervisor_v1_KillRequest, KillRequest__Output as _berth_supervisor_v1_KillRequest__Output } from './berth/supervisor/v1/KillRequest.js';
import type { Labels as _berth_supervisor_v1_Labels, Labels__Output as _berth_supervisor_v1_Labels__Output } from './berth/supervisor/v1/Labels.js';
import type { Lease as _berth_supervisor_v1_Lease, Lease__Output as _berth_supervisor_v1_Lease__Output } from './berth/supervisor/v1/Lease.js';
import type { LeaseRef as _berth_supervisor_v1_LeaseRef, LeaseRef__Output as _berth_supervisor_v1_LeaseRef__Output } from './berth/supervisor/v1/LeaseRef.js';
import type { LeaseResource as _berth_supervisor_v1_LeaseResource, LeaseResource__Output as _berth_supervisor_v1_LeaseResource__Output } from './berth/supervisor/v1/LeaseResource.js';
import type { LeaseResourceRequest as _berth_supervisor_v1_LeaseResourceRequest, LeaseResourceRequest__Output as _berth_supervisor_v1_LeaseResourceRequest__Output } from './berth/supervisor/v1/LeaseResourceRequest.js';
import type { LeasesClient as _berth_supervisor_v1_LeasesClient, LeasesDefinition as _berth_supervisor_v1_LeasesDefinition } from './berth/supervisor/v1/Leases.js';
import type { ListContainersRequest as _berth_supervisor_v1_ListContainersRequest, ListContainersRequest__Output as _berth_supervisor_v1_ListContainersRequest__Output } from './berth/supervisor/v1/ListContainersRequest.js';
import type { ListContainersResponse as _berth_supervisor_v1_ListContainersResponse, ListContainersResponse__Output as _berth_supervisor_v1_ListContainersResponse__Output } from './berth/supervisor/v1/ListContainersResponse.js';
import type { ListContentRequest as _berth_supervisor_v1_ListContentRequest, ListContentRequest__Output as _berth_supervisor_v1_ListContentRequest__Output } from './berth/supervisor/v1/ListContentRequest.js';
import type { ListContentResponse as _berth_supervisor_v1_ListContentResponse, ListContentResponse__Output as _berth_supervisor_v1_ListContentResponse__Output } from './berth/supervisor/v1/ListContentResponse.js';
import type { ListImagesRequest as _berth_supervisor_v1_ListImagesRequest, ListImagesRequest__Output as _berth_supervisor_v1_ListImagesRequest__Output } from './berth/supervisor/v1/ListImagesRequest.js';
import type { ListImagesResponse as _berth_supervisor_v1_ListImagesResponse, ListImagesResponse__Output as _berth_supervisor_v1_ListImagesResponse__Output } from './berth/supervisor/v1/ListImagesResponse.js';
import type { ListLeaseResourcesResponse as _berth_supervisor_v1_ListLeaseResourcesResponse, ListLeaseResourcesResponse__Output as _berth_supervisor_v1_ListLeaseResourcesResponse__Output } from './berth/supervisor/v1/ListLeaseResourcesResponse.js';
import type { ListLeasesRequest as _berth_supervisor_v1_ListLeasesRequest, ListLeasesRequest__Output as _berth_supervisor_v1_ListLeasesRequest__Output } from './berth/supervisor/v1/ListLeasesRequest.js';
import type { ListLeasesResponse as _berth_supervisor_v1_ListLeasesResponse, ListLeasesResponse__Output as _berth_supervisor_v1_ListLeasesResponse__Output } from './berth/supervisor/v1/ListLeasesResponse.js';
import type { ListSnapshotsRequest as _berth_supervisor_v1_ListSnapshotsRequest, ListSnapshotsRequest__Output as _berth_supervisor_v1_ListSnapshotsRequest__Output } from './berth/supervisor/v1/ListSnapshotsRequest.js';
import type { ListSnapshotsResponse as _berth_supervisor_v1_ListSnapshotsResponse, ListSnapshotsResponse__Output as _berth_supervisor_v1_ListSnapshotsResponse__Output } from './berth/supervisor/v1/ListSnapshotsResponse.js';
import type { ListTasksRequest as _berth_supervisor_v1_ListTasksRequest, ListTasksRequest__Output as _berth_supervisor_v1_ListTasksRequest__Output } from './berth/supervisor/v1/ListTasksRequest.js';
import type { ListTasksResponse as _berth_supervisor_v1_ListTasksResponse, ListTasksResponse__Output as _berth_supervisor_v1_ListTasksResponse__Output } from './berth/supervisor/v1/ListTasksResponse.js';
import type { LogConfig as _berth_supervisor_v1_LogConfig, LogConfig__Output as _berth_supervisor_v1_LogConfig__Output } from './berth/supervisor/v1/LogConfig.js';
import type { Mount as _berth_supervisor_v1_Mount, Mount__Output as _berth_supervisor_v1_Mount__Output } from './berth/supervisor/v1/Mount.js';
import type { MountsResponse as _berth_supervisor_v1_MountsResponse, MountsResponse__Output as _berth_supervisor_v1_MountsResponse__Output } from './berth/supervisor/v1/MountsResponse.js';
import type { PidsResponse as _berth_supervisor_v1_PidsResponse, PidsResponse__Output as _berth_supervisor_v1_PidsResponse__Output } from './berth/supervisor/v1/PidsResponse.js';
import type { PublishRequest as _berth_supervisor_v1_PublishRequest, PublishRequest__Output as _berth_supervisor_v1_PublishRequest__Output } from './berth/supervisor/v1/PublishRequest.js';
import type { ReadContentResponse as _berth_supervisor_v1_ReadContentResponse, ReadContentResponse__Output as _berth_supervisor_v1_ReadContentResponse__Output } from './berth/supervisor/v1/ReadContentResponse.js';
import type { ResizeRequest as _berth_supervisor_v1_ResizeRequest, ResizeRequest__Output as _berth_supervisor_v1_ResizeRequest__Output } from './berth/supervisor/v1/ResizeRequest.js';
import type { SnapshotInfo as _berth_supervisor_v1_SnapshotInfo, SnapshotInfo__Output as _berth_supervisor_v1_SnapshotInfo__Output } from './berth/supervisor/v1/SnapshotInfo.js';
import type { SnapshotRequest as _berth_supervisor_v1_SnapshotRequest, SnapshotRequest__Output as _berth_supervisor_v1_SnapshotRequest__Output } from './berth/supervisor/v1/SnapshotRequest.js';
import type { SnapshotsClient as _berth_supervisor_v1_SnapshotsClient, SnapshotsDefinition as _berth_supervisor_v1_SnapshotsDefinition } from './berth/supervisor/v1/Snapshots.js';
import type { StatsResponse as _berth_supervisor_v1_StatsResponse, StatsResponse__Output as _berth_supervisor_v1_StatsResponse__Output } from './berth/supervisor/v1/StatsResponse.js';
import type { SubscribeRequest as _berth_supervisor_v1_SubscribeRequest, SubscribeRequest__Output as _berth_supervisor_v1_SubscribeRequest__Output } from './berth/supervisor/v1/SubscribeRequest.js';
import type { TaskInfo as _berth_supervisor_v1_TaskInfo, TaskInfo__Output as _berth_supervisor_v1_TaskInfo__Output } from './berth/supervisor/v1/TaskInfo.js';
import type { TaskRef as _berth_supervisor_v1_TaskRef, TaskRef__Output as _berth_supervisor_v1_TaskRef__Output } from './berth/supervisor/v1/TaskRef.js';
import type { TasksClient as _berth_supervisor_v1_TasksClient, TasksDefinition as _berth_supervisor_v1_TasksDefinition } from './berth/supervisor/v1/Tasks.js';
import type { UpdateContainerRequest as _berth_supervisor_v1_UpdateContainerRequest, UpdateContainerRequest__Output as _berth_supervisor_v1_UpdateContainerRequest__Output } from './berth/supervisor/v1/UpdateContainerRequest.js';
import type { UpdateContentRequest as _berth_supervisor_v1_UpdateContentRequest, UpdateContentRequest__Output as _berth_supervisor_v1_UpdateContentRequest__Output } from './berth/supervisor/v1/UpdateContentRequest.js';
import type { UpdateImageRequest as _berth_supervisor_v1_UpdateImageRequest, UpdateImageRequest__Output as _berth_supervisor_v1_UpdateImageRequest__Output } from './berth/supervisor/v1/UpdateImageRequest.js';
import type { UpdateTaskRequest as _berth_supervisor_v1_UpdateTaskRequest, UpdateTaskRequest__Output as _berth_supervisor_v1_UpdateTaskRequest__Output } from './berth/supervisor/v1/UpdateTaskRequest.js';
import type { UsageResponse as _berth_supervisor_v1_UsageResponse, UsageResponse__Output as _berth_supervisor_v1_UsageResponse__Output } from './berth/supervisor/v1/UsageResponse.js';
import type { WriteContentRequest as _berth_supervisor_v1_WriteContentRequest, WriteContentRequest__Output as _berth_supervisor_v1_WriteContentRequest__Output } from './berth/supervisor/v1/WriteContentRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  berth: {
    supervisor: {
      v1: {
        AttachIn: MessageTypeDefinition<_berth_supervisor_v1_AttachIn, _berth_supervisor_v1_AttachIn__Output>
        AttachOut: MessageTypeDefinition<_berth_supervisor_v1_AttachOut, _berth_supervisor_v1_AttachOut__Output>
        Container: MessageTypeDefinition<_berth_supervisor_v1_Container, _berth_supervisor_v1_Container__Output>
        Containers: SubtypeConstructor<typeof grpc.Client, _berth_supervisor_v1_ContainersClient> & { service: _berth_supervisor_v1_ContainersDefinition }
        Content: SubtypeConstructor<typeof grpc.Client, _berth_supervisor_v1_ContentClient> & { service: _berth_supervisor_v1_ContentDefinition }
        ContentInfo: MessageTypeDefinition<_berth_supervisor_v1_ContentInfo, _berth_supervisor_v1_ContentInfo__Output>
        CreateContainerRequest: MessageTypeDefinition<_berth_supervisor_v1_CreateContainerRequest, _berth_supervisor_v1_CreateContainerRequest__Output>
        CreateImageRequest: MessageTypeDefinition<_berth_supervisor_v1_CreateImageRequest, _berth_supervisor_v1_CreateImageRequest__Output>
        CreateLeaseRequest: MessageTypeDefinition<_berth_supervisor_v1_CreateLeaseRequest, _berth_supervisor_v1_CreateLeaseRequest__Output>
        CreateTaskRequest: MessageTypeDefinition<_berth_supervisor_v1_CreateTaskRequest, _berth_supervisor_v1_CreateTaskRequest__Output>
        DeleteContainerRequest: MessageTypeDefinition<_berth_supervisor_v1_DeleteContainerRequest, _berth_supervisor_v1_DeleteContainerRequest__Output>
        DeleteTaskRequest: MessageTypeDefinition<_berth_supervisor_v1_DeleteTaskRequest, _berth_supervisor_v1_DeleteTaskRequest__Output>
        DigestRequest: MessageTypeDefinition<_berth_supervisor_v1_DigestRequest, _berth_supervisor_v1_DigestRequest__Output>
        Empty: MessageTypeDefinition<_berth_supervisor_v1_Empty, _berth_supervisor_v1_Empty__Output>
        Event: MessageTypeDefinition<_berth_supervisor_v1_Event, _berth_supervisor_v1_Event__Output>
        Events: SubtypeConstructor<typeof grpc.Client, _berth_supervisor_v1_EventsClient> & { service: _berth_supervisor_v1_EventsDefinition }
        ExecRequest: MessageTypeDefinition<_berth_supervisor_v1_ExecRequest, _berth_supervisor_v1_ExecRequest__Output>
        ExitStatus: MessageTypeDefinition<_berth_supervisor_v1_ExitStatus, _berth_supervisor_v1_ExitStatus__Output>
        Gc: SubtypeConstructor<typeof grpc.Client, _berth_supervisor_v1_GcClient> & { service: _berth_supervisor_v1_GcDefinition }
        GcRequest: MessageTypeDefinition<_berth_supervisor_v1_GcRequest, _berth_supervisor_v1_GcRequest__Output>
        GcResponse: MessageTypeDefinition<_berth_supervisor_v1_GcResponse, _berth_supervisor_v1_GcResponse__Output>
        GetContainerRequest: MessageTypeDefinition<_berth_supervisor_v1_GetContainerRequest, _berth_supervisor_v1_GetContainerRequest__Output>
        Image: MessageTypeDefinition<_berth_supervisor_v1_Image, _berth_supervisor_v1_Image__Output>
        ImageRef: MessageTypeDefinition<_berth_supervisor_v1_ImageRef, _berth_supervisor_v1_ImageRef__Output>
        Images: SubtypeConstructor<typeof grpc.Client, _berth_supervisor_v1_ImagesClient> & { service: _berth_supervisor_v1_ImagesDefinition }
        KillRequest: MessageTypeDefinition<_berth_supervisor_v1_KillRequest, _berth_supervisor_v1_KillRequest__Output>
        Labels: MessageTypeDefinition<_berth_supervisor_v1_Labels, _berth_supervisor_v1_Labels__Output>
        Lease: MessageTypeDefinition<_berth_supervisor_v1_Lease, _berth_supervisor_v1_Lease__Output>
        LeaseRef: MessageTypeDefinition<_berth_supervisor_v1_LeaseRef, _berth_supervisor_v1_LeaseRef__Output>
        LeaseResource: MessageTypeDefinition<_berth_supervisor_v1_LeaseResource, _berth_supervisor_v1_LeaseResource__Output>
        LeaseResourceRequest: MessageTypeDefinition<_berth_supervisor_v1_LeaseResourceRequest, _berth_supervisor_v1_LeaseResourceRequest__Output>
        Leases: SubtypeConstructor<typeof grpc.Client, _berth_supervisor_v1_LeasesClient> & { service: _berth_supervisor_v1_LeasesDefinition }
        ListContainersRequest: MessageTypeDefinition<_berth_supervisor_v1_ListContainersRequest, _berth_supervisor_v1_ListContainersRequest__Output>
        ListContainersResponse: MessageTypeDefinition<_berth_supervisor_v1_ListContainersResponse, _berth_supervisor_v1_ListContainersResponse__Output>
        ListContentRequest: MessageTypeDefinition<_berth_supervisor_v1_ListContentRequest, _berth_supervisor_v1_ListContentRequest__Output>
        ListContentResponse: MessageTypeDefinition<_berth_supervisor_v1_ListContentResponse, _berth_supervisor_v1_ListContentResponse__Output>
        ListImagesRequest: MessageTypeDefinition<_berth_supervisor_v1_ListImagesRequest, _berth_supervisor_v1_ListImagesRequest__Output>
        ListImagesResponse: MessageTypeDefinition<_berth_supervisor_v1_ListImagesResponse, _berth_supervisor_v1_ListImagesResponse__Output>
        ListLeaseResourcesResponse: MessageTypeDefinition<_berth_supervisor_v1_ListLeaseResourcesResponse, _berth_supervisor_v1_ListLeaseResourcesResponse__Output>
        ListLeasesRequest: MessageTypeDefinition<_berth_supervisor_v1_ListLeasesRequest, _berth_supervisor_v1_ListLeasesRequest__Output>
        ListLeasesResponse: MessageTypeDefinition<_berth_supervisor_v1_ListLeasesResponse, _berth_supervisor_v1_ListLeasesResponse__Output>
        ListSnapshotsRequest: MessageTypeDefinition<_berth_supervisor_v1_ListSnapshotsRequest, _berth_supervisor_v1_ListSnapshotsRequest__Output>
        ListSnapshotsResponse: MessageTypeDefinition<_berth_supervisor_v1_ListSnapshotsResponse, _berth_supervisor_v1_ListSnapshotsResponse__Output>
        ListTasksRequest: MessageTypeDefinition<_berth_supervisor_v1_ListTasksRequest, _berth_supervisor_v1_ListTasksRequest__Output>
        ListTasksResponse: MessageTypeDefinition<_berth_supervisor_v1_ListTasksResponse, _berth_supervisor_v1_ListTasksResponse__Output>
        LogConfig: MessageTypeDefinition<_berth_supervisor_v1_LogConfig, _berth_supervisor_v1_LogConfig__Output>
        Mount: MessageTypeDefinition<_berth_supervisor_v1_Mount, _berth_supervisor_v1_Mount__Output>
        MountsResponse: MessageTypeDefinition<_berth_supervisor_v1_MountsResponse, _berth_supervisor_v1_MountsResponse__Output>
        PidsResponse: MessageTypeDefinition<_berth_supervisor_v1_PidsResponse, _berth_supervisor_v1_PidsResponse__Output>
        PublishRequest: MessageTypeDefinition<_berth_supervisor_v1_PublishRequest, _berth_supervisor_v1_PublishRequest__Output>
        ReadContentResponse: MessageTypeDefinition<_berth_supervisor_v1_ReadContentResponse, _berth_supervisor_v1_ReadContentResponse__Output>
        ResizeRequest: MessageTypeDefinition<_berth_supervisor_v1_ResizeRequest, _berth_supervisor_v1_ResizeRequest__Output>
        SnapshotInfo: MessageTypeDefinition<_berth_supervisor_v1_SnapshotInfo, _berth_supervisor_v1_SnapshotInfo__Output>
        SnapshotRequest: MessageTypeDefinition<_berth_supervisor_v1_SnapshotRequest, _berth_supervisor_v1_SnapshotRequest__Output>
        Snapshots: SubtypeConstructor<typeof grpc.Client, _berth_supervisor_v1_SnapshotsClient> & { service: _berth_supervisor_v1_SnapshotsDefinition }
        StatsResponse: MessageTypeDefinition<_berth_supervisor_v1_StatsResponse, _berth_supervisor_v1_StatsResponse__Output>
        SubscribeRequest: MessageTypeDefinition<_berth_supervisor_v1_SubscribeRequest, _berth_supervisor_v1_SubscribeRequest__Output>
        TaskInfo: MessageTypeDefinition<_berth_supervisor_v1_TaskInfo, _berth_supervisor_v1_TaskInfo__Output>
        TaskRef: MessageTypeDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_TaskRef__Output>
        Tasks: SubtypeConstructor<typeof grpc.Client, _berth_supervisor_v1_TasksClient> & { service: _berth_supervisor_v1_TasksDefinition }
        UpdateContainerRequest: MessageTypeDefinition<_berth_supervisor_v1_UpdateContainerRequest, _berth_supervisor_v1_UpdateContainerRequest__Output>
        UpdateContentRequest: MessageTypeDefinition<_berth_supervisor_v1_UpdateContentRequest, _berth_supervisor_v1_UpdateContentRequest__Output>
        UpdateImageRequest: MessageTypeDefinition<_berth_supervisor_v1_UpdateImageRequest, _berth_supervisor_v1_UpdateImageRequest__Output>
        UpdateTaskRequest: MessageTypeDefinition<_berth_supervisor_v1_UpdateTaskRequest, _berth_supervisor_v1_UpdateTaskRequest__Output>
        UsageResponse: MessageTypeDefinition<_berth_supervisor_v1_UsageResponse, _berth_supervisor_v1_UsageResponse__Output>
        WriteContentRequest: MessageTypeDefinition<_berth_supervisor_v1_WriteContentRequest, _berth_supervisor_v1_WriteContentRequest__Output>
      }
    }
  }
}

