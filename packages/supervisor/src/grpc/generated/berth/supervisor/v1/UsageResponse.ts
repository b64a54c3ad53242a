// Original file: proto/supervisor.proto

import type { Long } from '@grpc/proto-loader';

export interface UsageResponse {
  'size'?: (number | string | Long);
  'inodes'?: (number | string | Long);
}

export interface UsageResponse__Output {
  'size': (number);
  'inodes': (number);
}
