// Original file: proto/supervisor.proto


export interface DeleteTaskRequest {
  'namespace'?: (string);
  'id'?: (string);
  'force'?: (boolean);
}

export interface DeleteTaskRequest__Output {
  'namespace': (string);
  'id': (string);
  'force': (boolean);
}
