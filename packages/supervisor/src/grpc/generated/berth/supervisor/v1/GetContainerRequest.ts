// Original file: proto/supervisor.proto


export interface GetContainerRequest {
  'namespace'?: (string);
  'id'?: (string);
}

export interface GetContainerRequest__Output {
  'namespace': (string);
  'id': (string);
}
