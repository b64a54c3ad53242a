// Original file: proto/supervisor.proto


export interface ListSnapshotsRequest {
  'filters'?: (string)[];
}

export interface ListSnapshotsRequest__Output {
  'filters': (string)[];
}
