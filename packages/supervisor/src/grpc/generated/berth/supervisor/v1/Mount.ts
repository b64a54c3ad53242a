// Original file: proto/supervisor.proto


export interface Mount {
  'type'?: (string);
  'source'?: (string);
  'options'?: (string)[];
}

export interface Mount__Output {
  'type': (string);
  'source': (string);
  'options': (string)[];
}
