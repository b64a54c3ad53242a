// Docker's human texts: container status ("Up 5 seconds", "Exited (0) 2 minutes ago") and the
// Command column.
import type { ContainerRecord } from './types.js';

/** go-units HumanDuration */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(s / 3600);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(h / 24 / 365)} years`;
}

export function statusText(rec: ContainerRecord, now = Date.now()): string {
  const st = rec.State;
  const since = (t: string) => humanDuration(Math.max(0, now - Date.parse(t)));
  switch (st.Status) {
    case 'running': {
      const h = st.Health?.Status;
      return `Up ${since(st.StartedAt)}${h === 'starting' ? ' (health: starting)' : h ? ` (${h})` : ''}`;
    }
    case 'paused':
      return `Up ${since(st.StartedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${st.ExitCode}) ${since(st.FinishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    case 'exited':
      return st.FinishedAt.startsWith('0001')
        ? `Exited (${st.ExitCode})`
        : `Exited (${st.ExitCode}) ${since(st.FinishedAt)} ago`;
    default:
      return 'Created';
  }
}

/** The Command column: Path and Args, each arg quoted when it has a space (as Docker shows it). */
export function commandText(rec: ContainerRecord): string {
  return [rec.Path, ...rec.Args].map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ');
}
