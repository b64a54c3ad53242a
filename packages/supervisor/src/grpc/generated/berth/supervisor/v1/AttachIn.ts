// Original file: proto/supervisor.proto

import type { TaskRef as _berth_supervisor_v1_TaskRef, TaskRef__Output as _berth_supervisor_v1_TaskRef__Output } from '../../../berth/supervisor/v1/TaskRef.js';

export interface AttachIn {
  'ref'?: (_berth_supervisor_v1_TaskRef | null);
  'stdin'?: (boolean);
  'stdout'?: (boolean);
  'stderr'?: (boolean);
  'data'?: (Buffer | Uint8Array | string);
  'closeStdin'?: (boolean);
}

export interface AttachIn__Output {
  'ref': (_berth_supervisor_v1_TaskRef__Output | null);
  'stdin': (boolean);
  'stdout': (boolean);
  'stderr': (boolean);
  'data': (Buffer);
  'closeStdin': (boolean);
}
