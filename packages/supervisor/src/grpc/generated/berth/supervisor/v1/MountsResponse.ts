// Original file: proto/supervisor.proto

import type { Mount as _berth_supervisor_v1_Mount, Mount__Output as _berth_supervisor_v1_Mount__Output } from '../../../berth/supervisor/v1/Mount.js';

export interface MountsResponse {
  'mounts'?: (_berth_supervisor_v1_Mount)[];
}

export interface MountsResponse__Output {
  'mounts': (_berth_supervisor_v1_Mount__Output)[];
}
