import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { SupervisorError, translate } from './errors.js';
import { toGrpcError } from './grpc/status.js';

function coded(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('errors of lower layers as supervisor errors', () => {
  it('a failed OCI hook is FAILED_PRECONDITION and a shim that never answered is UNAVAILABLE', () => {
    expect(translate(coded('EHOOK', 'prestart hook 1 (/bin/sh) failed (exit 3)'))).toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: 'prestart hook 1 (/bin/sh) failed (exit 3)',
    });
    expect(translate(coded('ETIMEOUT', 'shim did not report'))).toBeInstanceOf(SupervisorError);
    expect(toGrpcError(coded('ETIMEOUT', 'shim did not report'))).toEqual({
      code: status.UNAVAILABLE,
      details: 'shim did not report',
    });
    expect(toGrpcError(coded('EHOOK', 'x')).code).toBe(status.FAILED_PRECONDITION);
  });

  it('an error with no known code passes through (UNKNOWN on the wire), with its message', () => {
    expect(toGrpcError(coded('EWHATEVER', 'odd'))).toEqual({ code: status.UNKNOWN, details: 'odd' });
  });
});
