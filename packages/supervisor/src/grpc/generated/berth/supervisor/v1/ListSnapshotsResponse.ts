// Original file: proto/supervisor.proto

import type { SnapshotInfo as _berth_supervisor_v1_SnapshotInfo, SnapshotInfo__Output as _berth_supervisor_v1_SnapshotInfo__Output } from '../../../berth/supervisor/v1/SnapshotInfo.js';

export interface ListSnapshotsResponse {
  'infos'?: (_berth_supervisor_v1_SnapshotInfo)[];
}

export interface ListSnapshotsResponse__Output {
  'infos': (_berth_supervisor_v1_SnapshotInfo__Output)[];
}
