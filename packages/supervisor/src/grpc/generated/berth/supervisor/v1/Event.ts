// Original file: proto/supervisor.proto


export interface Event {
  'topic'?: (string);
  'namespace'?: (string);
  'timestamp'?: (string);
  'eventJson'?: (string);
}

export interface Event__Output {
  'topic': (string);
  'namespace': (string);
  'timestamp': (string);
  'eventJson': (string);
}
