// Original file: proto/supervisor.proto


export interface AttachOut {
  'stream'?: (number);
  'data'?: (Buffer | Uint8Array | string);
  'eof'?: (boolean);
}

export interface AttachOut__Output {
  'stream': (number);
  'data': (Buffer);
  'eof': (boolean);
}
