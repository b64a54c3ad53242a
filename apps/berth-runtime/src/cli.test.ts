// The same scenarios against berth-runtime and runc (Debian's) through runc's command line.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBusyboxRootfs } from '@berth/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { berthRuntime, type CliResult, invoke, type OciCli, runc } from './harness.js';

interface SpecJson {
  process: { terminal: boolean; args: string[] };
  hostname?: string;
  mounts: unknown[];
}

const clis = [berthRuntime, runc].filter((c) => c.available);

// Each step is a process of its own (about 0.2 s for berth-runtime on an idle machine, seconds on a
// loaded CI machine): a test of a dozen steps needs more than the shared 30 s there.
describe.each(clis)('$name (runc command line)', { timeout: 120_000 }, (cli: OciCli) => {
  let dir: string;
  let root: string;
  let ids: string[];
  const run = (args: string[]): Promise<CliResult> => invoke(cli, root, args, { cwd: dir });
  const newId = () => {
    const id = `berth-cli-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    ids.push(id);
    return id;
  };
  const writeSpec = async (args: string[], edit?: (s: SpecJson) => void) => {
    rmSync(join(dir, 'config.json'), { force: true });
    expect((await run(['spec', '--bundle', dir])).code).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as SpecJson;
    s.process.terminal = false;
    s.process.args = args;
    edit?.(s);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(s));
  };
  const state = async (id: string) =>
    JSON.parse((await run(['state', id])).stdout) as { status: string; pid: number };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `berth-cli-${cli.name}-`));
    root = join(dir, 'state');
    makeBusyboxRootfs(join(dir, 'rootfs'));
    ids = [];
  });

  afterEach(async () => {
    for (const id of ids) {
      await run(['kill', id, 'KILL']);
      await run(['delete', '--force', id]);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('spec writes a config.json and refuses to overwrite it', async () => {
    expect((await run(['spec', '--bundle', dir])).code).toBe(0);
    const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      ociVersion: string;
      process: { args: string[] };
    };
    expect(spec.process.args).toEqual(['sh']);
    expect((await run(['spec', '--bundle', dir])).code).toBe(1);
  });

  it('create -> created, start -> running, kill -> stopped, delete -> gone', async () => {
    await writeSpec(['sleep', '100']);
    const id = newId();
    const created = await run(['create', '--bundle', dir, id]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const st = await state(id);
    expect(st.status).toBe('created');
    expect(st.pid).toBeGreaterThan(0);
    expect((await run(['start', id])).code).toBe(0);
    expect((await state(id)).status).toBe('running');
    const list = JSON.parse((await run(['list', '--format', 'json'])).stdout) as {
      id: string;
      status: string;
    }[];
    expect(list.map((c) => [c.id, c.status])).toEqual([[id, 'running']]);
    expect((await run(['delete', id])).code).toBe(1); // running, no --force
    expect((await run(['kill', id, 'KILL'])).code).toBe(0);
    for (let i = 0; i < 100 && (await state(id)).status !== 'stopped'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await state(id)).status).toBe('stopped');
    expect((await run(['delete', id])).code).toBe(0);
    expect((await run(['state', id])).code).toBe(1);
  });

  it('run waits and exits with the container status', async () => {
    await writeSpec(['sh', '-c', 'exit 3']);
    const r = await run(['run', '--bundle', dir, newId()]);
    expect(r.code).toBe(3);
  });

  it('exec runs in the container; ps lists its processes; delete --force kills it', async () => {
    await writeSpec(['sleep', '100'], (s) => {
      s.hostname = 'berth-cli-host';
    });
    const id = newId();
    expect((await run(['run', '-d', '--bundle', dir, id])).code).toBe(0);
    const e = await run(['exec', id, 'sh', '-c', 'echo $(hostname) $$']);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^berth-cli-host \d+\n$/);
    const ps = JSON.parse((await run(['ps', '--format', 'json', id])).stdout) as number[];
    expect(ps).toContain((await state(id)).pid);
    expect((await run(['delete', '--force', id])).code).toBe(0);
    expect((await run(['list', '-q'])).stdout).toBe('');
  });

  it('pause and resume; events --stats', async () => {
    await writeSpec(['sleep', '100']);
    const id = newId();
    expect((await run(['run', '-d', '--bundle', dir, id])).code).toBe(0);
    expect((await run(['pause', id])).code).toBe(0);
    expect((await state(id)).status).toBe('paused');
    expect((await run(['resume', id])).code).toBe(0);
    expect((await state(id)).status).toBe('running');
    const ev = JSON.parse((await run(['events', '--stats', id])).stdout) as {
      type: string;
      id: string;
      data: object;
    };
    expect(ev).toMatchObject({ type: 'stats', id });
    expect(Object.keys(ev.data)).toEqual(expect.arrayContaining(['cpu', 'memory', 'pids', 'blkio']));
  });

  it('errors go to --log as JSON ({"level":"error","msg","time"}) and exit 1', async () => {
    const log = join(dir, 'log.json');
    const r = await run(['--log', log, '--log-format', 'json', 'state', 'berth-no-such-container']);
    expect(r.code).toBe(1);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    const err = lines.find((l) => l.level === 'error')!;
    expect(err.msg).toMatch(/does not exist|not exist/);
    expect(Number.isNaN(Date.parse(err.time!))).toBe(false);
  });

  it('a failed create leaves no state behind', async () => {
    await writeSpec(['true'], (s) => {
      s.mounts.push({ destination: '/bad', type: 'berthnosuchfs', source: 'x' });
    });
    const id = newId();
    const r = await run(['create', '--bundle', dir, id]);
    expect(r.code).toBe(1);
    expect((await run(['state', id])).code).toBe(1);
    expect(existsSync(join(root, id))).toBe(false);
  });

  it('run of a terminal container without --console-socket uses its own terminal', async () => {
    await writeSpec(['sh', '-c', 'tty; echo tty-done'], (s) => {
      s.process.terminal = true;
    });
    const r = await invoke(cli, root, ['run', '--bundle', dir, newId()], { cwd: dir, tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\/dev\/pts\/\d+/);
    expect(r.stdout).toContain('tty-done');
  });

  it('exec --tty without --console-socket uses its own terminal', async () => {
    await writeSpec(['sleep', '100']);
    const id = newId();
    expect((await run(['run', '-d', '--bundle', dir, id])).code).toBe(0);
    const r = await invoke(cli, root, ['exec', '-t', id, 'sh', '-c', 'tty; echo exec-tty-done'], {
      cwd: dir,
      tty: true,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\/dev\/pts\/\d+/);
    expect(r.stdout).toContain('exec-tty-done');
  });

  it('exec --process runs a process.json (as containerd calls it) and writes --pid-file', async () => {
    await writeSpec(['sleep', '100']);
    const id = newId();
    expect((await run(['run', '-d', '--bundle', dir, id])).code).toBe(0);
    const processJson = join(dir, 'process.json');
    writeFileSync(
      processJson,
      JSON.stringify({
        terminal: false,
        user: { uid: 1000, gid: 1000 },
        args: ['sh', '-c', 'echo from-process-json $(id -u) $PWD $BERTH'],
        env: ['PATH=/bin:/usr/bin', 'BERTH=yes'],
        cwd: '/tmp',
      }),
    );
    const pidFile = join(dir, 'exec.pid');
    const r = await run(['exec', '--process', processJson, '--pid-file', pidFile, id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('from-process-json 1000 /tmp yes\n');
    expect(Number(readFileSync(pidFile, 'utf8'))).toBeGreaterThan(0);
  });

  it('create --pid-file writes the init pid', async () => {
    await writeSpec(['sleep', '100']);
    const id = newId();
    const pidFile = join(dir, 'init.pid');
    expect((await run(['create', '--bundle', dir, '--pid-file', pidFile, id])).code).toBe(0);
    expect(Number(readFileSync(pidFile, 'utf8'))).toBe((await state(id)).pid);
  });

  it('features prints JSON with the hook kinds and namespaces', async () => {
    const f = JSON.parse((await run(['features'])).stdout) as {
      hooks: string[];
      linux: { namespaces: string[] };
    };
    expect(f.hooks).toContain('poststop');
    expect(f.linux.namespaces).toContain('pid');
  });
});
