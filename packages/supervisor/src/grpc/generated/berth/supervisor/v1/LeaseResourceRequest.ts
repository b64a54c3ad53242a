// Original file: proto/supervisor.proto

import type { LeaseResource as _berth_supervisor_v1_LeaseResource, LeaseResource__Output as _berth_supervisor_v1_LeaseResource__Output } from '../../../berth/supervisor/v1/LeaseResource.js';

export interface LeaseResourceRequest {
  'namespace'?: (string);
  'leaseId'?: (string);
  'resource'?: (_berth_supervisor_v1_LeaseResource | null);
}

export interface LeaseResourceRequest__Output {
  'namespace': (string);
  'leaseId': (string);
  'resource': (_berth_supervisor_v1_LeaseResource__Output | null);
}
