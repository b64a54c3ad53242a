// Original file: proto/supervisor.proto


export interface UpdateTaskRequest {
  'namespace'?: (string);
  'id'?: (string);
  'resourcesJson'?: (string);
}

export interface UpdateTaskRequest__Output {
  'namespace': (string);
  'id': (string);
  'resourcesJson': (string);
}
