// Original file: proto/supervisor.proto


export interface Labels {
  'labels'?: ({[key: string]: string});
}

export interface Labels__Output {
  'labels': ({[key: string]: string});
}
