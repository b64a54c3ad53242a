// Original file: proto/supervisor.proto

import type { Lease as _berth_supervisor_v1_Lease, Lease__Output as _berth_supervisor_v1_Lease__Output } from '../../../berth/supervisor/v1/Lease.js';

export interface ListLeasesResponse {
  'leases'?: (_berth_supervisor_v1_Lease)[];
}

export interface ListLeasesResponse__Output {
  'leases': (_berth_supervisor_v1_Lease__Output)[];
}
