// Original file: proto/supervisor.proto

import type { LeaseResource as _berth_supervisor_v1_LeaseResource, LeaseResource__Output as _berth_supervisor_v1_LeaseResource__Output } from '../../../berth/supervisor/v1/LeaseResource.js';

export interface ListLeaseResourcesResponse {
  'resources'?: (_berth_supervisor_v1_LeaseResource)[];
}

export interface ListLeaseResourcesResponse__Output {
  'resources': (_berth_supervisor_v1_LeaseResource__Output)[];
}
