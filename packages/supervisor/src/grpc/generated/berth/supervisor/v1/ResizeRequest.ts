// Original file: proto/supervisor.proto


export interface ResizeRequest {
  'namespace'?: (string);
  'id'?: (string);
  'execId'?: (string);
  'cols'?: (number);
  'rows'?: (number);
}

export interface ResizeRequest__Output {
  'namespace': (string);
  'id': (string);
  'execId': (string);
  'cols': (number);
  'rows': (number);
}
