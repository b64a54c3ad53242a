// Original file: proto/supervisor.proto


export interface ReadContentResponse {
  'data'?: (Buffer | Uint8Array | string);
}

export interface ReadContentResponse__Output {
  'data': (Buffer);
}
