import { EventEmitter, on } from 'node:events';

/** What a blob is to the image; the CLI labels rows with it. */
export type BlobKind = 'manifest' | 'index' | 'config' | 'layer' | 'blob';

/**
 * Where a blob is. Pull: waiting → downloading (→ retrying → downloading) → verifying → done, or
 * exists (the destination already had it). Push: waiting → exists | mounted | uploading → done.
 * failed ends either.
 */
export type BlobStatus =
  | 'waiting'
  | 'downloading'
  | 'uploading'
  | 'retrying'
  | 'verifying'
  | 'done'
  | 'exists'
  | 'mounted'
  | 'failed';

/** One blob's progress: `current` of `total` bytes. */
export interface BlobProgress {
  type: 'blob';
  direction: 'pull' | 'push';
  digest: string;
  kind: BlobKind;
  status: BlobStatus;
  current: number;
  total: number;
  /** Set with status `retrying` and `failed`. */
  error?: string;
}

/** All blobs of the operation together. */
export interface OverallProgress {
  type: 'overall';
  current: number;
  total: number;
  blobsDone: number;
  blobsTotal: number;
}

export type ProgressEvent = BlobProgress | OverallProgress;

interface ProgressEvents {
  progress: [ProgressEvent];
  end: [];
}

const FINAL: ReadonlySet<BlobStatus> = new Set(['done', 'exists', 'mounted', 'failed']);

/**
 * Progress of a pull or push: after each change it emits a `progress` event for the blob and one
 * for the overall totals. Listen with `on('progress', ...)`, or iterate `events()` (which ends when
 * the operation calls `end()`). Byte counts only grow; a resumed download continues from its offset.
 */
export class Progress extends EventEmitter<ProgressEvents> {
  readonly #blobs = new Map<string, BlobProgress>();
  #ended = false;

  /** Snapshot of every blob seen so far, in the order they were registered. */
  get blobs(): BlobProgress[] {
    return [...this.#blobs.values()].map((b) => ({ ...b }));
  }

  get overall(): OverallProgress {
    let current = 0;
    let total = 0;
    let blobsDone = 0;
    for (const blob of this.#blobs.values()) {
      current += FINAL.has(blob.status) && blob.status !== 'failed' ? blob.total : blob.current;
      total += blob.total;
      if (FINAL.has(blob.status)) blobsDone++;
    }
    return { type: 'overall', current, total, blobsDone, blobsTotal: this.#blobs.size };
  }

  /** Announces a blob (status `waiting`), so totals are known before bytes move. */
  add(direction: 'pull' | 'push', digest: string, kind: BlobKind, total: number): void {
    if (this.#blobs.has(digest)) return;
    this.#blobs.set(digest, { type: 'blob', direction, digest, kind, status: 'waiting', current: 0, total });
    this.#emitBlob(digest);
  }

  /** Updates a blob's status and byte count (registering it as a plain blob if unseen). */
  update(digest: string, status: BlobStatus, current?: number, error?: string): void {
    let blob = this.#blobs.get(digest);
    if (!blob) {
      blob = { type: 'blob', direction: 'pull', digest, kind: 'blob', status, current: 0, total: 0 };
      this.#blobs.set(digest, blob);
    }
    blob.status = status;
    if (current !== undefined) blob.current = current;
    if (error === undefined) delete blob.error;
    else blob.error = error;
    this.#emitBlob(digest);
  }

  /** Marks the operation finished: `events()` iterators end. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.emit('end');
  }

  /** Every event from now until `end()`, as an async iterator (buffered, so no event is lost). */
  async *events(signal?: AbortSignal): AsyncGenerator<ProgressEvent> {
    if (this.#ended) return;
    const options = signal === undefined ? { close: ['end'] } : { close: ['end'], signal };
    for await (const [event] of on(this, 'progress', options)) {
      yield event as ProgressEvent;
    }
  }

  #emitBlob(digest: string): void {
    const blob = this.#blobs.get(digest);
    if (!blob) return;
    this.emit('progress', { ...blob });
    this.emit('progress', this.overall);
  }
}

/** One message of Docker's JSON progress stream (`docker pull`'s and the Engine API's). */
export interface DockerProgressMessage {
  id: string;
  status: string;
  progressDetail?: { current: number; total: number };
}

const DOCKER_STATUS: Record<'pull' | 'push', Partial<Record<BlobStatus, string>>> = {
  pull: {
    waiting: 'Waiting',
    downloading: 'Downloading',
    retrying: 'Retrying',
    verifying: 'Verifying Checksum',
    done: 'Download complete',
    exists: 'Already exists',
    failed: 'Download failed',
  },
  push: {
    waiting: 'Waiting',
    uploading: 'Pushing',
    retrying: 'Retrying',
    done: 'Pushed',
    exists: 'Layer already exists',
    mounted: 'Mounted from another repository',
    failed: 'Push failed',
  },
};

/**
 * A blob event as Docker words it (`{"id":"a1b2c3d4e5f6","status":"Downloading","progressDetail":…}`),
 * with the 12-hex-digit short id Docker shows; undefined for overall events and unworded states.
 * Docker's "Pull complete" (after extraction) belongs to whoever unpacks the layer.
 */
export function dockerProgressMessage(event: ProgressEvent): DockerProgressMessage | undefined {
  if (event.type !== 'blob') return undefined;
  const status = DOCKER_STATUS[event.direction][event.status];
  if (status === undefined) return undefined;
  const id = (event.digest.split(':')[1] ?? event.digest).slice(0, 12);
  const moving = event.status === 'downloading' || event.status === 'uploading';
  return moving
    ? { id, status, progressDetail: { current: event.current, total: event.total } }
    : { id, status };
}
