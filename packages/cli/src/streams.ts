// Wiring a hijacked attach/exec stream to the terminal: stdin in (raw mode for -t), output out
// (raw with a TTY, stdcopy-demultiplexed without), and the terminal size kept in sync.
import type { Duplex } from 'node:stream';
import { copyRaw, demultiplex } from '@berth/api';
import type { Context } from './context.js';

export interface AttachWiring {
  sock: Duplex;
  tty: boolean;
  stdin: boolean;
}

/** Pumps the streams until the daemon ends the output. */
export async function pumpStreams(ctx: Context, w: AttachWiring): Promise<void> {
  const { stdin, stdout, stderr } = ctx.io;
  const raw = w.tty && w.stdin && stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  if (raw) stdin.setRawMode!(true);
  const onData = (chunk: Buffer) => {
    if (!w.sock.destroyed) w.sock.write(chunk);
  };
  const onEnd = () => {
    // half-close: the container sees EOF on its stdin, its output still comes back
    if (!w.sock.destroyed) w.sock.end();
  };
  if (w.stdin) {
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.resume();
  }
  try {
    if (w.tty) await copyRaw(w.sock, stdout);
    else await demultiplex(w.sock, stdout, stderr);
  } finally {
    if (w.stdin) {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
      (stdin as { unref?: () => void }).unref?.();
    }
    if (raw) stdin.setRawMode!(false);
    w.sock.destroy();
  }
}

/** Sends the terminal size now and on every SIGWINCH; returns the stop function. */
export function monitorTtySize(ctx: Context, resize: (h: number, w: number) => Promise<void>): () => void {
  const out = ctx.io.stdout;
  if (!out.isTTY) return () => undefined;
  const send = () => {
    const h = out.rows ?? 0;
    const w = out.columns ?? 0;
    if (h > 0 && w > 0) resize(h, w).catch(() => undefined);
  };
  send();
  ctx.signals.on('SIGWINCH', send);
  return () => ctx.signals.off('SIGWINCH', send);
}

/** Forwards SIGINT/SIGTERM/… to the container (docker's --sig-proxy); returns the stop function. */
export function proxySignals(ctx: Context, kill: (signal: string) => Promise<void>): () => void {
  const names = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;
  const handlers = names.map((n) => {
    const h = () => {
      kill(n).catch(() => undefined);
    };
    ctx.signals.on(n, h);
    return [n, h] as const;
  });
  return () => {
    for (const [n, h] of handlers) ctx.signals.off(n, h);
  };
}
