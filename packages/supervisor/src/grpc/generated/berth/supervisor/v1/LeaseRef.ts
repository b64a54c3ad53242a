// Original file: proto/supervisor.proto


export interface LeaseRef {
  'namespace'?: (string);
  'id'?: (string);
}

export interface LeaseRef__Output {
  'namespace': (string);
  'id': (string);
}
