// Original file: proto/supervisor.proto


export interface GcResponse {
  'content'?: (string)[];
  'snapshots'?: (string)[];
  'leases'?: (string)[];
}

export interface GcResponse__Output {
  'content': (string)[];
  'snapshots': (string)[];
  'leases': (string)[];
}
