// Original file: proto/supervisor.proto


export interface ListContainersRequest {
  'namespace'?: (string);
  'filters'?: (string)[];
}

export interface ListContainersRequest__Output {
  'namespace': (string);
  'filters': (string)[];
}
