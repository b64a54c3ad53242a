import type { ContainerProcess } from '@berth/native';
import type { StateStore } from './store.js';

/** What every lifecycle operation works with. */
export interface RuntimeContext {
  store: StateStore;
  /** init processes this process created and still holds (create/start split in one process) */
  handles: Map<string, ContainerProcess>;
  /** non-fatal problems (ignored spec fields, failed poststart/poststop hooks) */
  warn: (message: string) => void;
}
