// The daemon's event stream (`docker events`): Docker's events.Message, a bounded history for
// `since`, and live subscribers with Docker's filters (type, event/action, container, image,
// volume, network, label).
import type { EventMessage, Filters } from '@berth/api';

const HISTORY = 1024;

type Listener = (e: EventMessage) => void;

export class EventBus {
  private readonly history: EventMessage[] = [];
  private readonly listeners = new Set<Listener>();

  get listenerCount(): number {
    return this.listeners.size;
  }

  emit(
    type: EventMessage['Type'],
    action: string,
    id: string,
    attributes: Record<string, string> = {},
  ): void {
    const ns = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    const e: EventMessage = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: 'local',
      time: Number(ns / 1_000_000_000n),
      timeNano: Number(ns),
    };
    if (type === 'container' || type === 'image') {
      e.status = action;
      e.id = id;
      if (type === 'container' && attributes.image) e.from = attributes.image;
    }
    this.history.push(e);
    if (this.history.length > HISTORY) this.history.shift();
    for (const l of this.listeners) l(e);
  }

  /** Past events from `since` (Unix seconds), then live ones until `until` or the signal. */
  async *subscribe(opts: {
    since?: number;
    until?: number;
    filters: Filters;
    signal: AbortSignal;
  }): AsyncGenerator<EventMessage> {
    const match = (e: EventMessage) => matches(e, opts.filters);
    const queue: EventMessage[] = [];
    let wake: (() => void) | undefined;
    const listener: Listener = (e) => {
      if (!match(e)) return;
      queue.push(e);
      wake?.();
    };
    const untilNs = opts.until !== undefined ? BigInt(Math.floor(opts.until * 1e9)) : undefined;
    const sinceNs = opts.since !== undefined ? BigInt(Math.floor(opts.since * 1e9)) : undefined;
    const past =
      sinceNs !== undefined ? this.history.filter((e) => BigInt(e.timeNano) >= sinceNs && match(e)) : [];
    this.listeners.add(listener);
    const onAbort = () => wake?.();
    opts.signal.addEventListener('abort', onAbort);
    let timer: NodeJS.Timeout | undefined;
    if (untilNs !== undefined) {
      const ms = Number(untilNs / 1_000_000n) - Date.now();
      timer = setTimeout(() => wake?.(), Math.max(0, ms));
    }
    try {
      for (const e of past) {
        if (untilNs !== undefined && BigInt(e.timeNano) > untilNs) return;
        yield e;
      }
      while (!opts.signal.aborted) {
        if (untilNs !== undefined && BigInt(Date.now()) * 1_000_000n >= untilNs) return;
        const e = queue.shift();
        if (e) {
          yield e;
          continue;
        }
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = undefined;
      }
    } finally {
      this.listeners.delete(listener);
      opts.signal.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    }
  }
}

function matches(e: EventMessage, filters: Filters): boolean {
  const any = (key: string, values: string[]) => {
    const want = filters[key];
    return !want || want.length === 0 || want.some((w) => values.includes(w));
  };
  if (!any('type', [e.Type])) return false;
  if (!any('event', [e.Action, e.Action.split(':')[0]!])) return false;
  if (e.Type === 'container' && !any('container', [e.Actor.ID, e.Actor.Attributes.name ?? ''])) return false;
  if (filters.container?.length && e.Type !== 'container') return false;
  if (
    filters.image?.length &&
    !any('image', [e.Actor.Attributes.image ?? '', e.Type === 'image' ? e.Actor.ID : ''])
  )
    return false;
  if (filters.volume?.length && !(e.Type === 'volume' && any('volume', [e.Actor.ID]))) return false;
  if (
    filters.network?.length &&
    !(e.Type === 'network' && any('network', [e.Actor.ID, e.Actor.Attributes.name ?? '']))
  )
    return false;
  for (const l of filters.label ?? []) {
    const [k, v] = l.split('=', 2) as [string, string?];
    const have = e.Actor.Attributes[k];
    if (have === undefined || (v !== undefined && have !== v)) return false;
  }
  return true;
}
