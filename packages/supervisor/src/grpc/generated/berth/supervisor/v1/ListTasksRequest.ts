// Original file: proto/supervisor.proto


export interface ListTasksRequest {
  'namespace'?: (string);
}

export interface ListTasksRequest__Output {
  'namespace': (string);
}
