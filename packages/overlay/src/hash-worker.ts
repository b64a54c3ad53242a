import { Worker } from 'node:worker_threads';

// sha256 runs at ~250 MB/s on this class of CPU (no SHA extensions): a quarter of the applier's
// main-thread time. Hashing on a worker thread computes the DiffID on the other core while the main
// thread writes files. Bytes go through a ring of shared slots (a memcpy into memory that is already
// mapped) rather than transferred buffers, whose fresh allocations cost as much as the hashing.
const SLOTS = 8;
const SLOT_SIZE = 1 << 20;

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { data, state } = workerData;
const hash = require('node:crypto').createHash('sha256');
parentPort.on('message', (m) => {
  if (m === null) {
    parentPort.postMessage(hash.digest('hex'));
    return;
  }
  const [slot, length] = m;
  hash.update(new Uint8Array(data, slot * ${SLOT_SIZE}, length));
  Atomics.store(state, slot, 0);
  Atomics.notify(state, slot);
});
`;

/** A sha256 computed on a worker thread. */
export class OffThreadSha256 {
  readonly #data = new SharedArrayBuffer(SLOTS * SLOT_SIZE);
  readonly #bytes = new Uint8Array(this.#data);
  readonly #state = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  readonly #worker: Worker;
  #next = 0;
  #failed: Error | undefined;

  constructor() {
    this.#worker = new Worker(SOURCE, { eval: true, workerData: { data: this.#data, state: this.#state } });
    this.#worker.on('error', (err) => {
      this.#failed = err;
    });
  }

  update(chunk: Uint8Array): void {
    for (let off = 0; off < chunk.length; off += SLOT_SIZE) {
      const piece = chunk.subarray(off, off + SLOT_SIZE);
      const slot = this.#next;
      this.#next = (this.#next + 1) % SLOTS;
      // Wait (bounded steps, so a dead worker is noticed) until the worker has hashed this slot.
      while (Atomics.load(this.#state, slot) !== 0) {
        if (this.#failed) throw this.#failed;
        Atomics.wait(this.#state, slot, 1, 100);
      }
      this.#bytes.set(piece, slot * SLOT_SIZE);
      Atomics.store(this.#state, slot, 1);
      this.#worker.postMessage([slot, piece.length]);
    }
  }

  /** The hex digest; ends the worker. */
  digest(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (this.#failed) {
        reject(this.#failed);
        return;
      }
      this.#worker.once('message', (hex: string) => {
        void this.#worker.terminate();
        resolve(hex);
      });
      this.#worker.once('error', reject);
      this.#worker.postMessage(null);
    });
  }

  abort(): void {
    void this.#worker.terminate();
  }
}
