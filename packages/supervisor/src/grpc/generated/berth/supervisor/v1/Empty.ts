// Original file: proto/supervisor.proto


export interface Empty {
}

export interface Empty__Output {
}
