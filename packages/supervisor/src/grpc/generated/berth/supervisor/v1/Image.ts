// Original file: proto/supervisor.proto


export interface Image {
  'name'?: (string);
  'namespace'?: (string);
  'targetJson'?: (string);
  'labels'?: ({[key: string]: string});
  'createdAt'?: (string);
  'updatedAt'?: (string);
}

export interface Image__Output {
  'name': (string);
  'namespace': (string);
  'targetJson': (string);
  'labels': ({[key: string]: string});
  'createdAt': (string);
  'updatedAt': (string);
}
