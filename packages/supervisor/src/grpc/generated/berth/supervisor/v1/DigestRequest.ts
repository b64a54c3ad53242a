// Original file: proto/supervisor.proto


export interface DigestRequest {
  'digest'?: (string);
}

export interface DigestRequest__Output {
  'digest': (string);
}
