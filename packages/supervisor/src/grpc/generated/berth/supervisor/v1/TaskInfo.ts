// Original file: proto/supervisor.proto

import type { ExitStatus as _berth_supervisor_v1_ExitStatus, ExitStatus__Output as _berth_supervisor_v1_ExitStatus__Output } from '../../../berth/supervisor/v1/ExitStatus.js';

export interface TaskInfo {
  'id'?: (string);
  'namespace'?: (string);
  'execId'?: (string);
  'pid'?: (number);
  'status'?: (string);
  'terminal'?: (boolean);
  'stdin'?: (boolean);
  'exitStatus'?: (_berth_supervisor_v1_ExitStatus | null);
  '_exitStatus'?: "exitStatus";
}

export interface TaskInfo__Output {
  'id': (string);
  'namespace': (string);
  'execId': (string);
  'pid': (number);
  'status': (string);
  'terminal': (boolean);
  'stdin': (boolean);
  'exitStatus'?: (_berth_supervisor_v1_ExitStatus__Output | null);
  '_exitStatus'?: "exitStatus";
}
