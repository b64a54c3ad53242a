// Original file: proto/supervisor.proto


export interface GcRequest {
  'contentRoots'?: (string)[];
  'snapshotRoots'?: (string)[];
}

export interface GcRequest__Output {
  'contentRoots': (string)[];
  'snapshotRoots': (string)[];
}
