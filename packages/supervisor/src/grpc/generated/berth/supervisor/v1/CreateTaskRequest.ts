// Original file: proto/supervisor.proto

import type { Mount as _berth_supervisor_v1_Mount, Mount__Output as _berth_supervisor_v1_Mount__Output } from '../../../berth/supervisor/v1/Mount.js';
import type { LogConfig as _berth_supervisor_v1_LogConfig, LogConfig__Output as _berth_supervisor_v1_LogConfig__Output } from '../../../berth/supervisor/v1/LogConfig.js';

export interface CreateTaskRequest {
  'namespace'?: (string);
  'id'?: (string);
  'rootfs'?: (_berth_supervisor_v1_Mount)[];
  'rootfsSet'?: (boolean);
  'terminal'?: (boolean);
  'stdin'?: (boolean);
  'log'?: (_berth_supervisor_v1_LogConfig | null);
  '_log'?: "log";
}

export interface CreateTaskRequest__Output {
  'namespace': (string);
  'id': (string);
  'rootfs': (_berth_supervisor_v1_Mount__Output)[];
  'rootfsSet': (boolean);
  'terminal': (boolean);
  'stdin': (boolean);
  'log'?: (_berth_supervisor_v1_LogConfig__Output | null);
  '_log'?: "log";
}
