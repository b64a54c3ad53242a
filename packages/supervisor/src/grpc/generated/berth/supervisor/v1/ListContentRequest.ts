// Original file: proto/supervisor.proto


export interface ListContentRequest {
  'filters'?: (string)[];
}

export interface ListContentRequest__Output {
  'filters': (string)[];
}
