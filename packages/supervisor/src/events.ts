// The event bus: every service publishes here; subscribers get the events their filters match, in
// order, from the moment they subscribe (no history, as containerd's exchange).
import { lookupIn, parseFilters } from './filters.js';
import type { Event, EventSubscription, EventsService, SubscribeOptions, Topic } from './types.js';
import { checkNamespace, checkPublish } from './validate.js';

interface Subscriber {
  match: (e: Event) => boolean;
  queue: Event[];
  wake?: () => void;
  done: boolean;
}

/** RFC 3339 with nanoseconds (Date has milliseconds; hrtime fills the rest so events sort). */
export function nowNano(): string {
  const ms = Date.now();
  const ns = Number(process.hrtime.bigint() % 1_000_000n);
  // RFC3339Nano as Go and Docker write it: trailing zeros of the fraction dropped
  const frac = `${new Date(ms).toISOString().slice(20, 23)}${String(ns).padStart(6, '0')}`.replace(/0+$/, '');
  return `${new Date(ms).toISOString().slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

export class EventBus implements EventsService {
  readonly #subs = new Set<Subscriber>();

  emit(namespace: string, topic: Topic, event: Record<string, unknown>): void {
    const e: Event = { topic, namespace, timestamp: nowNano(), event };
    for (const s of this.#subs) {
      if (!s.match(e)) continue;
      s.queue.push(e);
      s.wake?.();
    }
  }

  async publish(ns: string, topic: Topic, event: Record<string, unknown>): Promise<void> {
    checkNamespace(ns);
    const p = checkPublish(topic, event);
    this.emit(ns, p.topic as Topic, p.event);
  }

  subscribe(opts: SubscribeOptions = {}): EventSubscription {
    const matcher = parseFilters(opts.filters);
    const sub: Subscriber = { match: (e) => matcher(lookupIn(e)), queue: [], done: false };
    // registered now (not at the first next()), so events published right after subscribe are seen
    this.#subs.add(sub);
    const end = () => {
      sub.done = true;
      this.#subs.delete(sub);
      sub.wake?.();
    };
    if (opts.signal?.aborted) end();
    opts.signal?.addEventListener('abort', end, { once: true });
    const iterator: AsyncIterableIterator<Event> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (sub.queue.length === 0 && !sub.done) await new Promise<void>((r) => (sub.wake = r));
        sub.wake = undefined;
        const e = sub.queue.shift();
        return e ? { value: e, done: false } : { value: undefined, done: true };
      },
      return: async () => {
        end();
        return { value: undefined, done: true };
      },
    };
    return Object.assign(iterator, { ready: Promise.resolve() });
  }

  /** Ends every subscription (at close). */
  closeAll(): void {
    for (const s of [...this.#subs]) {
      s.done = true;
      this.#subs.delete(s);
      s.wake?.();
    }
  }
}
