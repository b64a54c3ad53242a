// Original file: proto/supervisor.proto


export interface ExitStatus {
  'exitCode'?: (number);
  'signal'?: (number);
  'exitedAt'?: (string);
}

export interface ExitStatus__Output {
  'exitCode': (number);
  'signal': (number);
  'exitedAt': (string);
}
