// SupervisorError codes ↔ gRPC status codes.
import { type Metadata, status } from '@grpc/grpc-js';
import { SupervisorError, type SupervisorErrorCode, translate } from '../errors.js';

const TO_GRPC: Record<SupervisorErrorCode, status> = {
  NOT_FOUND: status.NOT_FOUND,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  UNIMPLEMENTED: status.UNIMPLEMENTED,
  UNAVAILABLE: status.UNAVAILABLE,
  INTERNAL: status.INTERNAL,
};

export interface GrpcError {
  code: status;
  details: string;
}

/** What a handler's error becomes on the wire: a status and the message, never a stack. */
export function toGrpcError(e: unknown): GrpcError {
  const t = translate(e);
  if (t instanceof SupervisorError) return { code: TO_GRPC[t.code], details: t.message };
  return { code: status.UNKNOWN, details: t instanceof Error ? t.message : String(t) };
}

const FROM_GRPC = new Map<number, SupervisorErrorCode>(
  Object.entries(TO_GRPC).map(([k, v]) => [v, k as SupervisorErrorCode]),
);

/** A call's error as a SupervisorError again (UNAVAILABLE when the supervisor cannot be reached). */
export function fromGrpcError(e: unknown): Error {
  const err = e as { code?: number; details?: string; message?: string; metadata?: Metadata };
  if (typeof err?.code !== 'number') return e instanceof Error ? e : new Error(String(e));
  const code = FROM_GRPC.get(err.code) ?? 'INTERNAL';
  return new SupervisorError(code, err.details || err.message || 'supervisor call failed');
}
