// Original file: proto/supervisor.proto


export interface SnapshotInfo {
  'key'?: (string);
  'kind'?: (string);
  'parent'?: (string);
  'labels'?: ({[key: string]: string});
  'createdAt'?: (string);
  'updatedAt'?: (string);
}

export interface SnapshotInfo__Output {
  'key': (string);
  'kind': (string);
  'parent': (string);
  'labels': ({[key: string]: string});
  'createdAt': (string);
  'updatedAt': (string);
}
