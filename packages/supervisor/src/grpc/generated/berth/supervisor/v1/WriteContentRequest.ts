// Original file: proto/supervisor.proto


export interface WriteContentRequest {
  'data'?: (Buffer | Uint8Array | string);
  'ref'?: (string);
  'expected'?: (string);
  'labels'?: ({[key: string]: string});
}

export interface WriteContentRequest__Output {
  'data': (Buffer);
  'ref': (string);
  'expected': (string);
  'labels': ({[key: string]: string});
}
