// Original file: proto/supervisor.proto


export interface LeaseResource {
  'type'?: (string);
  'id'?: (string);
}

export interface LeaseResource__Output {
  'type': (string);
  'id': (string);
}
