// Original file: proto/supervisor.proto


export interface DeleteContainerRequest {
  'namespace'?: (string);
  'id'?: (string);
}

export interface DeleteContainerRequest__Output {
  'namespace': (string);
  'id': (string);
}
