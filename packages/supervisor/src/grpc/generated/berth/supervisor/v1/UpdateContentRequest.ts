// Original file: proto/supervisor.proto


export interface UpdateContentRequest {
  'digest'?: (string);
  'set'?: ({[key: string]: string});
  'remove'?: (string)[];
}

export interface UpdateContentRequest__Output {
  'digest': (string);
  'set': ({[key: string]: string});
  'remove': (string)[];
}
