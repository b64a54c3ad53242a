// Original file: proto/supervisor.proto


export interface TaskRef {
  'namespace'?: (string);
  'id'?: (string);
  'execId'?: (string);
}

export interface TaskRef__Output {
  'namespace': (string);
  'id': (string);
  'execId': (string);
}
