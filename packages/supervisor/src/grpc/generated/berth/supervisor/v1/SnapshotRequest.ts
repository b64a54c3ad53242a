// Original file: proto/supervisor.proto


export interface SnapshotRequest {
  'key'?: (string);
  'parent'?: (string);
  'labels'?: ({[key: string]: string});
  'name'?: (string);
}

export interface SnapshotRequest__Output {
  'key': (string);
  'parent': (string);
  'labels': ({[key: string]: string});
  'name': (string);
}
