// Original file: proto/supervisor.proto

import type { Labels as _berth_supervisor_v1_Labels, Labels__Output as _berth_supervisor_v1_Labels__Output } from '../../../berth/supervisor/v1/Labels.js';

export interface UpdateImageRequest {
  'namespace'?: (string);
  'name'?: (string);
  'targetJson'?: (string);
  'labels'?: (_berth_supervisor_v1_Labels | null);
  '_targetJson'?: "targetJson";
  '_labels'?: "labels";
}

export interface UpdateImageRequest__Output {
  'namespace': (string);
  'name': (string);
  'targetJson'?: (string);
  'labels'?: (_berth_supervisor_v1_Labels__Output | null);
  '_targetJson'?: "targetJson";
  '_labels'?: "labels";
}
