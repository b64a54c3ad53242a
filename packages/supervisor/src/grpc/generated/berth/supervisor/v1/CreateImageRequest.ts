// Original file: proto/supervisor.proto


export interface CreateImageRequest {
  'namespace'?: (string);
  'name'?: (string);
  'targetJson'?: (string);
  'labels'?: ({[key: string]: string});
}

export interface CreateImageRequest__Output {
  'namespace': (string);
  'name': (string);
  'targetJson': (string);
  'labels': ({[key: string]: string});
}
