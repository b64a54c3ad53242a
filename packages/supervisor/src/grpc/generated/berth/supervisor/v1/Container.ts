// Original file: proto/supervisor.proto


export interface Container {
  'id'?: (string);
  'namespace'?: (string);
  'image'?: (string);
  'snapshotter'?: (string);
  'snapshotKey'?: (string);
  'specJson'?: (string);
  'labels'?: ({[key: string]: string});
  'runtimeName'?: (string);
  'createdAt'?: (string);
  'updatedAt'?: (string);
}

export interface Container__Output {
  'id': (string);
  'namespace': (string);
  'image': (string);
  'snapshotter': (string);
  'snapshotKey': (string);
  'specJson': (string);
  'labels': ({[key: string]: string});
  'runtimeName': (string);
  'createdAt': (string);
  'updatedAt': (string);
}
