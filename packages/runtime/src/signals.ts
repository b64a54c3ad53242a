import { constants as C } from '@berth/native';
import { RuntimeError } from './errors.js';

/** 'KILL', 'SIGKILL', 'kill' or '9' -> 9 (runc's kill accepts all of these). */
export function parseSignal(sig: string | number): number {
  if (typeof sig === 'number') return sig;
  if (/^\d+$/.test(sig)) return Number(sig);
  const name = sig.toUpperCase().startsWith('SIG') ? sig.toUpperCase() : `SIG${sig.toUpperCase()}`;
  const n = (C as Record<string, number | undefined>)[name];
  if (n === undefined || !/^SIG[A-Z0-9]+$/.test(name))
    throw new RuntimeError('EINVALIDSPEC', `unknown signal ${JSON.stringify(sig)}`);
  return n;
}
