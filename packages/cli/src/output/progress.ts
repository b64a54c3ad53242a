// docker's jsonmessage display: pull/push/load/build progress. On a terminal each layer id keeps
// its own line, redrawn in place with a progress bar; elsewhere only status changes are printed
// (progress-only updates are dropped, as docker does).
import type { Writable } from 'node:stream';
import type { ClientTypes } from '@berth/api';
import { CliError } from '../errors.js';
import { humanSize } from './units.js';

type JsonMessage = ClientTypes.JsonMessage;

export class ProgressError extends CliError {
  /** errorDetail.code of the stream (build: the failing step's status). */
  constructor(
    message: string,
    readonly detailCode = 1,
  ) {
    super(message, 1, 'PROGRESS');
  }
}

/** docker's JSONProgress.String(): "[====>     ]  1.2MB/3.4MB". */
export function progressBar(current: number, total: number, width: number): string {
  if (total <= 0) return current > 0 ? humanSize(current) : '';
  const barWidth = Math.max(0, Math.min(50, width - 40));
  let bar = '';
  if (barWidth > 0) {
    const filled = Math.min(barWidth, Math.floor((current / total) * barWidth));
    bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(barWidth - filled)}] `;
  }
  const numbers = `${humanSize(current)}/${humanSize(total)}`.padStart(18);
  return `${bar}${numbers}`;
}

export interface DisplayOptions {
  out: Writable & { isTTY?: boolean; columns?: number };
  /** Called with aux payloads (build's image ID, push's digest). */
  onAux?: (aux: unknown) => void;
}

/** Displays a progress stream; rejects with the stream's error message. */
export async function displayProgress(stream: AsyncIterable<JsonMessage>, o: DisplayOptions): Promise<void> {
  const tty = o.out.isTTY === true;
  const width = o.out.columns ?? 80;
  const lines = new Map<string, number>();
  const lastStatus = new Map<string, string>();
  let total = 0;
  for await (const m of stream) {
    if (m.error || m.errorDetail?.message) {
      throw new ProgressError(m.errorDetail?.message ?? m.error ?? 'unknown error', m.errorDetail?.code || 1);
    }
    if (m.aux !== undefined) {
      o.onAux?.(m.aux);
      continue;
    }
    if (m.stream !== undefined) {
      o.out.write(m.stream);
      continue;
    }
    const hasProgress = m.progressDetail?.total !== undefined || (m.progress ?? '') !== '';
    const text = (() => {
      const prefix = m.id ? `${m.id}: ` : '';
      let t = `${prefix}${m.status ?? ''}`;
      if (hasProgress) {
        const cur = m.progressDetail?.current ?? 0;
        const tot = m.progressDetail?.total ?? 0;
        const bar = m.progressDetail?.total !== undefined ? progressBar(cur, tot, width) : (m.progress ?? '');
        if (bar) t += ` ${bar}`;
      }
      return t;
    })();
    if (!tty) {
      if (hasProgress) continue;
      const key = m.id ?? '';
      if (m.id && lastStatus.get(key) === m.status) continue;
      lastStatus.set(key, m.status ?? '');
      o.out.write(`${text}\n`);
      continue;
    }
    if (
      m.id &&
      (hasProgress || lines.has(m.id) || /^(Pulling fs layer|Waiting|Preparing)/.test(m.status ?? ''))
    ) {
      let line = lines.get(m.id);
      if (line === undefined) {
        line = total++;
        lines.set(m.id, line);
        o.out.write(`${text}\x1b[K\n`);
        continue;
      }
      const up = total - line;
      o.out.write(`\x1b[${up}A\r${text}\x1b[K\x1b[${up}B\r`);
      continue;
    }
    // a line of its own (Digest:, Status:, Loaded image:)
    o.out.write(`${text}\n`);
    total++;
  }
}
