// Original file: proto/supervisor.proto


export interface Lease {
  'id'?: (string);
  'namespace'?: (string);
  'labels'?: ({[key: string]: string});
  'createdAt'?: (string);
  'expiresAt'?: (string);
}

export interface Lease__Output {
  'id': (string);
  'namespace': (string);
  'labels': ({[key: string]: string});
  'createdAt': (string);
  'expiresAt': (string);
}
