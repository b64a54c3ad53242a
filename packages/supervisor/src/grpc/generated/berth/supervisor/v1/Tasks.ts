// Original file: proto/supervisor.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AttachIn as _berth_supervisor_v1_AttachIn, AttachIn__Output as _berth_supervisor_v1_AttachIn__Output } from '../../../berth/supervisor/v1/AttachIn.js';
import type { AttachOut as _berth_supervisor_v1_AttachOut, AttachOut__Output as _berth_supervisor_v1_AttachOut__Output } from '../../../berth/supervisor/v1/AttachOut.js';
import type { CreateTaskRequest as _berth_supervisor_v1_CreateTaskRequest, CreateTaskRequest__Output as _berth_supervisor_v1_CreateTaskRequest__Output } from '../../../berth/supervisor/v1/CreateTaskRequest.js';
import type { DeleteTaskRequest as _berth_supervisor_v1_DeleteTaskRequest, DeleteTaskRequest__Output as _berth_supervisor_v1_DeleteTaskRequest__Output } from '../../../berth/supervisor/v1/DeleteTaskRequest.js';
import type { Empty as _berth_supervisor_v1_Empty, Empty__Output as _berth_supervisor_v1_Empty__Output } from '../../../berth/supervisor/v1/Empty.js';
import type { ExecRequest as _berth_supervisor_v1_ExecRequest, ExecRequest__Output as _berth_supervisor_v1_ExecRequest__Output } from '../../../berth/supervisor/v1/ExecRequest.js';
import type { ExitStatus as _berth_supervisor_v1_ExitStatus, ExitStatus__Output as _berth_supervisor_v1_ExitStatus__Output } from '../../../berth/supervisor/v1/ExitStatus.js';
import type { KillRequest as _berth_supervisor_v1_KillRequest, KillRequest__Output as _berth_supervisor_v1_KillRequest__Output } from '../../../berth/supervisor/v1/KillRequest.js';
import type { ListTasksRequest as _berth_supervisor_v1_ListTasksRequest, ListTasksRequest__Output as _berth_supervisor_v1_ListTasksRequest__Output } from '../../../berth/supervisor/v1/ListTasksRequest.js';
import type { ListTasksResponse as _berth_supervisor_v1_ListTasksResponse, ListTasksResponse__Output as _berth_supervisor_v1_ListTasksResponse__Output } from '../../../berth/supervisor/v1/ListTasksResponse.js';
import type { PidsResponse as _berth_supervisor_v1_PidsResponse, PidsResponse__Output as _berth_supervisor_v1_PidsResponse__Output } from '../../../berth/supervisor/v1/PidsResponse.js';
import type { ResizeRequest as _berth_supervisor_v1_ResizeRequest, ResizeRequest__Output as _berth_supervisor_v1_ResizeRequest__Output } from '../../../berth/supervisor/v1/ResizeRequest.js';
import type { StatsResponse as _berth_supervisor_v1_StatsResponse, StatsResponse__Output as _berth_supervisor_v1_StatsResponse__Output } from '../../../berth/supervisor/v1/StatsResponse.js';
import type { TaskInfo as _berth_supervisor_v1_TaskInfo, TaskInfo__Output as _berth_supervisor_v1_TaskInfo__Output } from '../../../berth/supervisor/v1/TaskInfo.js';
import type { TaskRef as _berth_supervisor_v1_TaskRef, TaskRef__Output as _berth_supervisor_v1_TaskRef__Output } from '../../../berth/supervisor/v1/TaskRef.js';
import type { UpdateTaskRequest as _berth_supervisor_v1_UpdateTaskRequest, UpdateTaskRequest__Output as _berth_supervisor_v1_UpdateTaskRequest__Output } from '../../../berth/supervisor/v1/UpdateTaskRequest.js';

export interface TasksClient extends grpc.Client {
  Attach(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_berth_supervisor_v1_AttachIn, _berth_supervisor_v1_AttachOut__Output>;
  Attach(options?: grpc.CallOptions): grpc.ClientDuplexStream<_berth_supervisor_v1_AttachIn, _berth_supervisor_v1_AttachOut__Output>;
  attach(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_berth_supervisor_v1_AttachIn, _berth_supervisor_v1_AttachOut__Output>;
  attach(options?: grpc.CallOptions): grpc.ClientDuplexStream<_berth_supervisor_v1_AttachIn, _berth_supervisor_v1_AttachOut__Output>;
  
  Checkpoint(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Checkpoint(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Checkpoint(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Checkpoint(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  checkpoint(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  checkpoint(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  checkpoint(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  checkpoint(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  CloseStdin(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  CloseStdin(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  CloseStdin(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  CloseStdin(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  closeStdin(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  closeStdin(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  closeStdin(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  closeStdin(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Create(argument: _berth_supervisor_v1_CreateTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  Create(argument: _berth_supervisor_v1_CreateTaskRequest, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  create(argument: _berth_supervisor_v1_CreateTaskRequest, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _berth_supervisor_v1_DeleteTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_DeleteTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_DeleteTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  Delete(argument: _berth_supervisor_v1_DeleteTaskRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DeleteTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DeleteTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DeleteTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  delete(argument: _berth_supervisor_v1_DeleteTaskRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  
  DeleteProcess(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  DeleteProcess(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  DeleteProcess(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  DeleteProcess(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  deleteProcess(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  deleteProcess(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  deleteProcess(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  deleteProcess(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  
  Exec(argument: _berth_supervisor_v1_ExecRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  Exec(argument: _berth_supervisor_v1_ExecRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  Exec(argument: _berth_supervisor_v1_ExecRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  Exec(argument: _berth_supervisor_v1_ExecRequest, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  exec(argument: _berth_supervisor_v1_ExecRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  exec(argument: _berth_supervisor_v1_ExecRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  exec(argument: _berth_supervisor_v1_ExecRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  exec(argument: _berth_supervisor_v1_ExecRequest, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  
  Kill(argument: _berth_supervisor_v1_KillRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Kill(argument: _berth_supervisor_v1_KillRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Kill(argument: _berth_supervisor_v1_KillRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Kill(argument: _berth_supervisor_v1_KillRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  kill(argument: _berth_supervisor_v1_KillRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  kill(argument: _berth_supervisor_v1_KillRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  kill(argument: _berth_supervisor_v1_KillRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  kill(argument: _berth_supervisor_v1_KillRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  List(argument: _berth_supervisor_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _berth_supervisor_v1_ListTasksRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _berth_supervisor_v1_ListTasksRequest, callback: grpc.requestCallback<_berth_supervisor_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  
  Pause(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Pause(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Pause(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Pause(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  pause(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  pause(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  pause(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  pause(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Pids(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_PidsResponse__Output>): grpc.ClientUnaryCall;
  Pids(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_PidsResponse__Output>): grpc.ClientUnaryCall;
  Pids(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_PidsResponse__Output>): grpc.ClientUnaryCall;
  Pids(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_PidsResponse__Output>): grpc.ClientUnaryCall;
  pids(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_PidsResponse__Output>): grpc.ClientUnaryCall;
  pids(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_PidsResponse__Output>): grpc.ClientUnaryCall;
  pids(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_PidsResponse__Output>): grpc.ClientUnaryCall;
  pids(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_PidsResponse__Output>): grpc.ClientUnaryCall;
  
  Resize(argument: _berth_supervisor_v1_ResizeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Resize(argument: _berth_supervisor_v1_ResizeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Resize(argument: _berth_supervisor_v1_ResizeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Resize(argument: _berth_supervisor_v1_ResizeRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  resize(argument: _berth_supervisor_v1_ResizeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  resize(argument: _berth_supervisor_v1_ResizeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  resize(argument: _berth_supervisor_v1_ResizeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  resize(argument: _berth_supervisor_v1_ResizeRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Resume(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Resume(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Resume(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Resume(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  resume(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  resume(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  resume(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  resume(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Start(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  Start(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  Start(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  Start(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  start(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  start(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  start(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  start(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  
  State(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  State(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  State(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  State(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  state(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  state(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  state(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  state(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_TaskInfo__Output>): grpc.ClientUnaryCall;
  
  Stats(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  Stats(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  stats(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_StatsResponse__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _berth_supervisor_v1_UpdateTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  Update(argument: _berth_supervisor_v1_UpdateTaskRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  update(argument: _berth_supervisor_v1_UpdateTaskRequest, callback: grpc.requestCallback<_berth_supervisor_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  Wait(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  Wait(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  Wait(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  Wait(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  wait(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  wait(argument: _berth_supervisor_v1_TaskRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  wait(argument: _berth_supervisor_v1_TaskRef, options: grpc.CallOptions, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  wait(argument: _berth_supervisor_v1_TaskRef, callback: grpc.requestCallback<_berth_supervisor_v1_ExitStatus__Output>): grpc.ClientUnaryCall;
  
}

export interface TasksHandlers extends grpc.UntypedServiceImplementation {
  Attach: grpc.handleBidiStreamingCall<_berth_supervisor_v1_AttachIn__Output, _berth_supervisor_v1_AttachOut>;
  
  Checkpoint: grpc.handleUnaryCall<_berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_Empty>;
  
  CloseStdin: grpc.handleUnaryCall<_berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_Empty>;
  
  Create: grpc.handleUnaryCall<_berth_supervisor_v1_CreateTaskRequest__Output, _berth_supervisor_v1_TaskInfo>;
  
  Delete: grpc.handleUnaryCall<_berth_supervisor_v1_DeleteTaskRequest__Output, _berth_supervisor_v1_ExitStatus>;
  
  DeleteProcess: grpc.handleUnaryCall<_berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_ExitStatus>;
  
  Exec: grpc.handleUnaryCall<_berth_supervisor_v1_ExecRequest__Output, _berth_supervisor_v1_TaskInfo>;
  
  Kill: grpc.handleUnaryCall<_berth_supervisor_v1_KillRequest__Output, _berth_supervisor_v1_Empty>;
  
  List: grpc.handleUnaryCall<_berth_supervisor_v1_ListTasksRequest__Output, _berth_supervisor_v1_ListTasksResponse>;
  
  Pause: grpc.handleUnaryCall<_berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_Empty>;
  
  Pids: grpc.handleUnaryCall<_berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_PidsResponse>;
  
  Resize: grpc.handleUnaryCall<_berth_supervisor_v1_ResizeRequest__Output, _berth_supervisor_v1_Empty>;
  
  Resume: grpc.handleUnaryCall<_berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_Empty>;
  
  Start: grpc.handleUnaryCall<_berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_TaskInfo>;
  
  State: grpc.handleUnaryCall<_berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_TaskInfo>;
  
  Stats: grpc.handleUnaryCall<_berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_StatsResponse>;
  
  Update: grpc.handleUnaryCall<_berth_supervisor_v1_UpdateTaskRequest__Output, _berth_supervisor_v1_Empty>;
  
  Wait: grpc.handleUnaryCall<_berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_ExitStatus>;
  
}

export interface TasksDefinition extends grpc.ServiceDefinition {
  Attach: MethodDefinition<_berth_supervisor_v1_AttachIn, _berth_supervisor_v1_AttachOut, _berth_supervisor_v1_AttachIn__Output, _berth_supervisor_v1_AttachOut__Output>
  Checkpoint: MethodDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_Empty, _berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_Empty__Output>
  CloseStdin: MethodDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_Empty, _berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_Empty__Output>
  Create: MethodDefinition<_berth_supervisor_v1_CreateTaskRequest, _berth_supervisor_v1_TaskInfo, _berth_supervisor_v1_CreateTaskRequest__Output, _berth_supervisor_v1_TaskInfo__Output>
  Delete: MethodDefinition<_berth_supervisor_v1_DeleteTaskRequest, _berth_supervisor_v1_ExitStatus, _berth_supervisor_v1_DeleteTaskRequest__Output, _berth_supervisor_v1_ExitStatus__Output>
  DeleteProcess: MethodDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_ExitStatus, _berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_ExitStatus__Output>
  Exec: MethodDefinition<_berth_supervisor_v1_ExecRequest, _berth_supervisor_v1_TaskInfo, _berth_supervisor_v1_ExecRequest__Output, _berth_supervisor_v1_TaskInfo__Output>
  Kill: MethodDefinition<_berth_supervisor_v1_KillRequest, _berth_supervisor_v1_Empty, _berth_supervisor_v1_KillRequest__Output, _berth_supervisor_v1_Empty__Output>
  List: MethodDefinition<_berth_supervisor_v1_ListTasksRequest, _berth_supervisor_v1_ListTasksResponse, _berth_supervisor_v1_ListTasksRequest__Output, _berth_supervisor_v1_ListTasksResponse__Output>
  Pause: MethodDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_Empty, _berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_Empty__Output>
  Pids: MethodDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_PidsResponse, _berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_PidsResponse__Output>
  Resize: MethodDefinition<_berth_supervisor_v1_ResizeRequest, _berth_supervisor_v1_Empty, _berth_supervisor_v1_ResizeRequest__Output, _berth_supervisor_v1_Empty__Output>
  Resume: MethodDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_Empty, _berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_Empty__Output>
  Start: MethodDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_TaskInfo, _berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_TaskInfo__Output>
  State: MethodDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_TaskInfo, _berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_TaskInfo__Output>
  Stats: MethodDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_StatsResponse, _berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_StatsResponse__Output>
  Update: MethodDefinition<_berth_supervisor_v1_UpdateTaskRequest, _berth_supervisor_v1_Empty, _berth_supervisor_v1_UpdateTaskRequest__Output, _berth_supervisor_v1_Empty__Output>
  Wait: MethodDefinition<_berth_supervisor_v1_TaskRef, _berth_supervisor_v1_ExitStatus, _berth_supervisor_v1_TaskRef__Output, _berth_supervisor_v1_ExitStatus__Output>
}
