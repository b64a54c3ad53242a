// Original file: proto/supervisor.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateLeaseRequest {
  'namespace'?: (string);
  'id'?: (string);
  'labels'?: ({[key: string]: string});
  'expiresIn'?: (number | string | Long);
}

export interface CreateLeaseRequest__Output {
  'namespace': (string);
  'id': (string);
  'labels': ({[key: string]: string});
  'expiresIn': (number);
}
