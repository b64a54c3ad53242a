// Original file: proto/supervisor.proto

import type { Labels as _berth_supervisor_v1_Labels, Labels__Output as _berth_supervisor_v1_Labels__Output } from '../../../berth/supervisor/v1/Labels.js';

export interface UpdateContainerRequest {
  'namespace'?: (string);
  'id'?: (string);
  'image'?: (string);
  'snapshotKey'?: (string);
  'specJson'?: (string);
  'labels'?: (_berth_supervisor_v1_Labels | null);
  '_image'?: "image";
  '_snapshotKey'?: "snapshotKey";
  '_specJson'?: "specJson";
  '_labels'?: "labels";
}

export interface UpdateContainerRequest__Output {
  'namespace': (string);
  'id': (string);
  'image'?: (string);
  'snapshotKey'?: (string);
  'specJson'?: (string);
  'labels'?: (_berth_supervisor_v1_Labels__Output | null);
  '_image'?: "image";
  '_snapshotKey'?: "snapshotKey";
  '_specJson'?: "specJson";
  '_labels'?: "labels";
}
