// Original file: proto/supervisor.proto

import type { Container as _berth_supervisor_v1_Container, Container__Output as _berth_supervisor_v1_Container__Output } from '../../../berth/supervisor/v1/Container.js';

export interface CreateContainerRequest {
  'namespace'?: (string);
  'container'?: (_berth_supervisor_v1_Container | null);
}

export interface CreateContainerRequest__Output {
  'namespace': (string);
  'container': (_berth_supervisor_v1_Container__Output | null);
}
