// Original file: proto/supervisor.proto


export interface ListImagesRequest {
  'namespace'?: (string);
  'filters'?: (string)[];
}

export interface ListImagesRequest__Output {
  'namespace': (string);
  'filters': (string)[];
}
