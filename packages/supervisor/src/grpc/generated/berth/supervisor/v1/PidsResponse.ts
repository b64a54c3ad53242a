// Original file: proto/supervisor.proto


export interface PidsResponse {
  'pids'?: (number)[];
}

export interface PidsResponse__Output {
  'pids': (number)[];
}
