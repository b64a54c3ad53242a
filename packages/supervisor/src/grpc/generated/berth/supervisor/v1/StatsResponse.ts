// Original file: proto/supervisor.proto


export interface StatsResponse {
  'statsJson'?: (string);
}

export interface StatsResponse__Output {
  'statsJson': (string);
}
