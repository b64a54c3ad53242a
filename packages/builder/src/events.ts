// Build progress: the events a build reports, and Docker's /build JSON-lines stream made from them
// (what `docker build` with the classic builder prints: "Step 1/3 : FROM busybox", " ---> Using
// cache", " ---> Running in …", " ---> <id>", {"aux":{"ID":…}}, "Successfully built/tagged …").
import { Readable } from 'node:stream';
import type { PullProgress } from './backend.js';

export type BuildEvent =
  | { type: 'step'; step: number; total: number; instruction: string }
  | { type: 'triggers'; count: number }
  | { type: 'trigger'; instruction: string }
  | { type: 'cached'; step: number }
  | { type: 'running'; step: number; containerId: string }
  | { type: 'removed'; step: number; containerId: string }
  | { type: 'output'; step: number; data: string }
  | { type: 'stepDone'; step: number; imageId: string; cached: boolean }
  | { type: 'pull'; ref: string; progress?: PullProgress }
  | { type: 'warning'; message: string }
  | { type: 'built'; imageId: string }
  | { type: 'tagged'; tag: string };

/** One message of Docker's /build stream. */
export interface DockerBuildMessage {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current: number; total: number };
  aux?: { ID: string };
  error?: string;
  errorDetail?: { message: string; code?: number };
}

/** `sha256:abc…` (or a step container's `berth-build-abc…`) → the 12 hex characters Docker prints. */
export function shortId(id: string): string {
  return id.replace(/^(sha256:|berth-build-)/, '').slice(0, 12);
}

/** The Docker /build messages for one event (none for events Docker does not show). */
export function dockerBuildMessages(event: BuildEvent): DockerBuildMessage[] {
  switch (event.type) {
    case 'step':
      return [{ stream: `Step ${event.step}/${event.total} : ${event.instruction}` }, { stream: '\n' }];
    case 'triggers':
      return [{ stream: `# Executing ${event.count} build trigger${event.count === 1 ? '' : 's'}\n` }];
    case 'trigger':
      return [];
    case 'cached':
      return [{ stream: ' ---> Using cache\n' }];
    case 'running':
      return [{ stream: ` ---> Running in ${shortId(event.containerId)}\n` }];
    case 'removed':
      return [{ stream: ` ---> Removed intermediate container ${shortId(event.containerId)}\n` }];
    case 'output':
      return [{ stream: event.data }];
    case 'stepDone':
      return [{ stream: ` ---> ${shortId(event.imageId)}\n` }];
    case 'pull':
      return event.progress ? [{ ...event.progress }] : [];
    case 'warning':
      return [{ stream: `[Warning] ${event.message}\n` }];
    case 'built':
      return [{ aux: { ID: event.imageId } }, { stream: `Successfully built ${shortId(event.imageId)}\n` }];
    case 'tagged':
      return [{ stream: `Successfully tagged ${event.tag}\n` }];
  }
}

/** Docker's error message for a failed build (`{"errorDetail":{…},"error":…}`). */
export function dockerBuildError(err: unknown): DockerBuildMessage {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { exitCode?: unknown }).exitCode;
  return { errorDetail: { message, ...(typeof code === 'number' ? { code } : {}) }, error: message };
}

/**
 * Docker's /build messages as an async iterable: one batch per event, then the error message if the
 * build rejects (`quiet`: only the final image id, as `docker build -q`). `run` starts the build
 * with the listener to report to.
 */
export async function* dockerBuildMessagesOf(
  run: (onProgress: (event: BuildEvent) => void) => Promise<unknown>,
  opts: { quiet?: boolean } = {},
): AsyncGenerator<DockerBuildMessage> {
  const queue: DockerBuildMessage[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const push = (m: DockerBuildMessage) => {
    queue.push(m);
    wake?.();
  };
  run((event) => {
    if (opts.quiet) {
      if (event.type === 'built') {
        push({ aux: { ID: event.imageId } });
        push({ stream: `${event.imageId}\n` });
      }
      return;
    }
    for (const m of dockerBuildMessages(event)) push(m);
  }).then(
    () => {
      done = true;
      wake?.();
    },
    (err: unknown) => {
      push(dockerBuildError(err));
      done = true;
      wake?.();
    },
  );
  for (;;) {
    const next = queue.shift();
    if (next) {
      yield next;
      continue;
    }
    if (done) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
}

/** Docker's /build response body as a stream of JSON lines (see dockerBuildMessagesOf). */
export function dockerBuildStream(
  run: (onProgress: (event: BuildEvent) => void) => Promise<unknown>,
  opts: { quiet?: boolean } = {},
): Readable {
  return Readable.from(
    (async function* () {
      for await (const m of dockerBuildMessagesOf(run, opts)) yield `${JSON.stringify(m)}\r\n`;
    })(),
  );
}
