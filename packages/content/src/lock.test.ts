// The ingest lock across processes: a live writer in another process holds the ref; once that
// process dies (SIGKILL: no cleanup ran), its lock is stale and the ingest resumes here.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ContentStore } from './store.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-content-lock-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const CHILD = `
import { ContentStore } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
const store = await ContentStore.open(process.argv[1]);
const w = await store.writer({ ref: 'shared' });
await w.write(Buffer.from('from the child '));
console.log('ready');
setInterval(() => {}, 1000);
`;

it('a ref held by a live process is ELOCKED (writer and abort); after that process is killed the ingest resumes', async () => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    expect(line.toString().trim()).toBe('ready');
    const store = await ContentStore.open(root);
    await expect(store.writer({ ref: 'shared' })).rejects.toMatchObject({ code: 'ELOCKED' });
    // nor may another process drop it (a GC, or a pull cleaning up) while its writer lives
    await expect(store.abort('shared')).rejects.toMatchObject({ code: 'ELOCKED' });
    child.kill('SIGKILL');
    await once(child, 'exit');
    const w = await store.writer({ ref: 'shared' });
    expect(w.offset).toBe('from the child '.length);
    await w.write(Buffer.from('and the parent'));
    const digest = await w.commit();
    expect((await store.readBlob(digest)).toString()).toBe('from the child and the parent');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
