// Original file: proto/supervisor.proto

import type { Long } from '@grpc/proto-loader';

export interface ContentInfo {
  'digest'?: (string);
  'size'?: (number | string | Long);
  'labels'?: ({[key: string]: string});
  'createdAt'?: (string);
  'updatedAt'?: (string);
}

export interface ContentInfo__Output {
  'digest': (string);
  'size': (number);
  'labels': ({[key: string]: string});
  'createdAt': (string);
  'updatedAt': (string);
}
