// Original file: proto/supervisor.proto


export interface ListLeasesRequest {
  'namespace'?: (string);
  'filters'?: (string)[];
}

export interface ListLeasesRequest__Output {
  'namespace': (string);
  'filters': (string)[];
}
