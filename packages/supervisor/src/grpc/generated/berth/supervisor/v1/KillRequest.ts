// Original file: proto/supervisor.proto


export interface KillRequest {
  'namespace'?: (string);
  'id'?: (string);
  'execId'?: (string);
  'signal'?: (number);
  'all'?: (boolean);
}

export interface KillRequest__Output {
  'namespace': (string);
  'id': (string);
  'execId': (string);
  'signal': (number);
  'all': (boolean);
}
