// Original file: proto/supervisor.proto


export interface ImageRef {
  'namespace'?: (string);
  'name'?: (string);
}

export interface ImageRef__Output {
  'namespace': (string);
  'name': (string);
}
