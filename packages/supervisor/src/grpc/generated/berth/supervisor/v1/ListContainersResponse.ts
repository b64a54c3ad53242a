// Original file: proto/supervisor.proto

import type { Container as _berth_supervisor_v1_Container, Container__Output as _berth_supervisor_v1_Container__Output } from '../../../berth/supervisor/v1/Container.js';

export interface ListContainersResponse {
  'containers'?: (_berth_supervisor_v1_Container)[];
}

export interface ListContainersResponse__Output {
  'containers': (_berth_supervisor_v1_Container__Output)[];
}
