// Original file: proto/supervisor.proto

import type { Long } from '@grpc/proto-loader';

export interface LogConfig {
  'path'?: (string);
  'format'?: (string);
  'maxSize'?: (number | string | Long);
  'maxFiles'?: (number);
}

export interface LogConfig__Output {
  'path': (string);
  'format': (string);
  'maxSize': (number);
  'maxFiles': (number);
}
