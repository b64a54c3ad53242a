// Original file: proto/supervisor.proto

import type { TaskInfo as _berth_supervisor_v1_TaskInfo, TaskInfo__Output as _berth_supervisor_v1_TaskInfo__Output } from '../../../berth/supervisor/v1/TaskInfo.js';

export interface ListTasksResponse {
  'tasks'?: (_berth_supervisor_v1_TaskInfo)[];
}

export interface ListTasksResponse__Output {
  'tasks': (_berth_supervisor_v1_TaskInfo__Output)[];
}
