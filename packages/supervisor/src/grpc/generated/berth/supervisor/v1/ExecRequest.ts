// Original file: proto/supervisor.proto


export interface ExecRequest {
  'namespace'?: (string);
  'id'?: (string);
  'execId'?: (string);
  'processJson'?: (string);
  'terminal'?: (boolean);
  'stdin'?: (boolean);
}

export interface ExecRequest__Output {
  'namespace': (string);
  'id': (string);
  'execId': (string);
  'processJson': (string);
  'terminal': (boolean);
  'stdin': (boolean);
}
