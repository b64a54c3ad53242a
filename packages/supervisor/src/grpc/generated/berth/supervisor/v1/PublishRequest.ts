// Original file: proto/supervisor.proto


export interface PublishRequest {
  'namespace'?: (string);
  'topic'?: (string);
  'eventJson'?: (string);
}

export interface PublishRequest__Output {
  'namespace': (string);
  'topic': (string);
  'eventJson': (string);
}
