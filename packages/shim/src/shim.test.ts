// berth-shim with real busybox containers: the lifecycle through the shim, logs with rotation,
// terminals, kill, exec, surviving the launcher, the exit file and shutdown.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ContainerInitError } from '@berth/native';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readExitFile } from './exit-file.js';
import { connectShim, launchShim } from './launch.js';
import { encodeFrame, FrameReader, MsgType } from './protocol.js';
import { isAlive, makeEnv, type TestEnv, waitGone } from './test-support.js';

let env: TestEnv;

beforeEach(() => {
  env = makeEnv();
});

afterEach(async () => {
  await env.cleanup();
});

function collect(r: Readable | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!r) return resolve('');
    let text = '';
    r.on('data', (d: Buffer) => {
      text += d.toString();
    });
    r.on('end', () => resolve(text));
    r.on('error', reject);
  });
}

function until(r: Readable, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString();
      if (pattern.test(text)) {
        r.off('data', onData);
        resolve(text);
      }
    };
    r.on('data', onData);
    r.on('end', () => reject(new Error(`stream ended before ${pattern}: ${JSON.stringify(text)}`)));
  });
}

async function launch(
  args: string[],
  opts: {
    terminal?: boolean;
    stdin?: boolean;
    log?: 'json-file' | 'raw';
    maxSize?: number;
    maxFiles?: number;
  } = {},
) {
  const id = env.id();
  env.writeSpec(env.spec(args, opts.terminal));
  const { plan } = await env.rt.prepare(id, { bundle: env.bundle });
  const dir = env.shimDir(id);
  const logPath = join(env.dir, `${id}.log`);
  const shim = await launchShim({
    id,
    dir,
    plan,
    stdio: { terminal: opts.terminal ?? false, stdin: opts.stdin ?? false },
    ...(opts.log
      ? {
          log: {
            path: logPath,
            format: opts.log,
            ...(opts.maxSize ? { maxSize: opts.maxSize } : {}),
            ...(opts.maxFiles ? { maxFiles: opts.maxFiles } : {}),
          },
        }
      : {}),
  });
  await env.rt.adopt(id, { pid: shim.pid });
  return { id, dir, shim, logPath };
}

describe('berth-shim (busybox containers)', () => {
  it('launch -> created, start, json-file log, wait gives the exit code, exit file, shutdown removes the socket', async () => {
    const { id, dir, shim, logPath } = await launch(['sh', '-c', 'echo hello; echo "oops <&>" >&2; exit 3'], {
      log: 'json-file',
    });
    expect(shim.pid).toBeGreaterThan(0);
    expect(shim.shimPid).not.toBe(process.pid);
    expect(await shim.state()).toEqual({ status: 'created', pid: shim.pid });
    expect(env.rt.state(id)).toMatchObject({ status: 'created', pid: shim.pid });
    // the shim is the init's parent
    const ppid = Number(readFileSync(`/proc/${shim.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    expect(ppid).toBe(shim.shimPid);
    await shim.start();
    const status = await shim.wait();
    expect(status).toMatchObject({ exitCode: 3, signal: null });
    expect(status.exitedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(await shim.state()).toEqual({
      status: 'stopped',
      pid: shim.pid,
      exitCode: 3,
      exitedAt: status.exitedAt,
    });
    const lines = readFileSync(logPath, 'utf8').trimEnd().split('\n');
    const entries = lines.map((l) => JSON.parse(l) as { log: string; stream: string; time: string });
    expect(entries.map((e) => [e.stream, e.log]).sort()).toEqual([
      ['stderr', 'oops <&>\n'],
      ['stdout', 'hello\n'],
    ]);
    expect(lines.find((l) => l.includes('oops'))).toContain('oops \\u003c\\u0026\\u003e\\n');
    // attaching to a finished process: its streams end at once
    const late = await shim.attach();
    expect(await Promise.all([collect(late.stdout), collect(late.stderr)])).toEqual(['', '']);
    // the exit file: complete JSON, written by rename (no temp file left behind)
    expect(readExitFile(dir)).toEqual(status);
    expect(readdirSync(dir).sort()).toEqual(['exit.json', 'shim.pid', 'shim.sock']);
    await shim.shutdown();
    await waitGone(shim.shimPid);
    expect(existsSync(join(dir, 'shim.sock'))).toBe(false);
    expect(readExitFile(dir)).toEqual(status);
    await env.rt.delete(id);
  });

  it('rotates the json-file log at max-size, keeping max-files files', async () => {
    const { shim, logPath } = await launch(
      [
        'sh',
        '-c',
        'i=0; while [ $i -lt 200 ]; do echo "line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; i=$((i+1)); done',
      ],
      { log: 'json-file', maxSize: 2000, maxFiles: 3 },
    );
    await shim.start();
    expect((await shim.wait()).exitCode).toBe(0);
    expect(existsSync(`${logPath}.1`)).toBe(true);
    expect(existsSync(`${logPath}.2`)).toBe(true);
    expect(existsSync(`${logPath}.3`)).toBe(false);
    const current = readFileSync(logPath, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(current.at(-1)!).log).toBe('line-199-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n');
    for (const f of [logPath, `${logPath}.1`, `${logPath}.2`]) {
      const text = readFileSync(f, 'utf8');
      // a file is rotated once it has reached max-size: at most one line past it
      expect(text.length).toBeLessThan(2000 + 200);
      for (const l of text.trimEnd().split('\n')) expect(JSON.parse(l).stream).toBe('stdout');
    }
    // the rotated files hold the lines just before the current file's, in order
    const older = readFileSync(`${logPath}.1`, 'utf8').trimEnd().split('\n');
    const lastOld = Number(/line-(\d+)/.exec(JSON.parse(older.at(-1)!).log)![1]);
    const firstNew = Number(/line-(\d+)/.exec(JSON.parse(current[0]!).log)![1]);
    expect(firstNew).toBe(lastOld + 1);
  });

  it('json-file splits lines longer than 16 KiB and logs a last line without newline', async () => {
    const { shim, logPath } = await launch(
      ['sh', '-c', "head -c 20000 /dev/zero | tr '\\0' a; echo; printf tail"],
      {
        log: 'json-file',
      },
    );
    await shim.start();
    await shim.wait();
    const logs = readFileSync(logPath, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { log: string }).log);
    expect(logs).toEqual(['a'.repeat(16384), `${'a'.repeat(20000 - 16384)}\n`, 'tail']);
  });

  it('raw log format: the bytes as written', async () => {
    const { shim, logPath } = await launch(['sh', '-c', 'printf "a\\nb"'], { log: 'raw' });
    await shim.start();
    await shim.wait();
    expect(readFileSync(logPath, 'utf8')).toBe('a\nb');
  });

  it('attach streams stdin, stdout and stderr of a pipe container', async () => {
    const { shim } = await launch(['sh', '-c', 'read line; echo "out:$line"; echo "err:$line" >&2'], {
      stdin: true,
    });
    const a = await shim.attach({ stdin: true, stdout: true, stderr: true });
    const out = collect(a.stdout);
    const err = collect(a.stderr);
    await shim.start();
    a.stdin!.end('hi\n');
    expect(await out).toBe('out:hi\n');
    expect(await err).toBe('err:hi\n');
    expect((await shim.wait()).exitCode).toBe(0);
    a.close();
  });

  it('a slow attach consumer slows the container instead of losing output', async () => {
    const { shim, logPath } = await launch(['sh', '-c', 'seq 1 400000; echo done'], { log: 'raw' });
    const a = await shim.attach({ stdout: true, stderr: false });
    a.stdout.pause();
    await shim.start();
    // far more than the shim's high-water mark (1 MiB) is written meanwhile
    await new Promise((r) => setTimeout(r, 300));
    const collected = collect(a.stdout);
    a.stdout.resume();
    const text = await collected;
    const expected = `${Array.from({ length: 400000 }, (_, i) => i + 1).join('\n')}\ndone\n`;
    expect(text.length).toBe(expected.length);
    expect(text === expected).toBe(true);
    expect((await shim.wait()).exitCode).toBe(0);
    expect(readFileSync(logPath, 'utf8') === expected).toBe(true);
  });

  it('terminal mode: the process runs on a pty; attach, stdin and resize work', async () => {
    const { shim, logPath } = await launch(['sh', '-c', 'tty; stty size; read x; echo "got-$x"; stty size'], {
      terminal: true,
      stdin: true,
      log: 'json-file',
    });
    await shim.resize(100, 40);
    const a = await shim.attach({ stdin: true, stdout: true, stderr: true });
    expect(a.stderr).toBeUndefined();
    await shim.start();
    const first = await until(a.stdout, /40 100/);
    expect(first).toMatch(/\/dev\/pts\/\d+/);
    await shim.resize(120, 50);
    a.stdin!.write('hello\n');
    const rest = await collect(a.stdout);
    expect(rest).toContain('got-hello');
    expect(rest).toContain('50 120');
    expect((await shim.wait()).exitCode).toBe(0);
    expect(readFileSync(logPath, 'utf8')).toContain('got-hello');
    a.close();
  });

  it('kill: a signal to the init, and to every process with all', async () => {
    const { shim } = await launch(['sh', '-c', 'sleep 100 & sleep 100']);
    await shim.start();
    expect((await shim.state()).status).toBe('running');
    await shim.kill(9, true);
    expect(await shim.wait()).toMatchObject({ exitCode: 137, signal: 9 });
    await expect(shim.kill(15)).rejects.toMatchObject({ code: 'EREQUEST', errno: 'ESRCH' });
  });

  it('kill before start ends the created init', async () => {
    const { shim } = await launch(['true']);
    await shim.kill(9);
    expect(await shim.wait()).toMatchObject({ signal: 9 });
    await expect(shim.start()).rejects.toMatchObject({ code: 'EREQUEST' });
  });

  it('start reports a failed exec as ContainerInitError', async () => {
    const { shim } = await launch(['/no/such/binary']);
    const e = await shim.start().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ContainerInitError);
    expect(e).toMatchObject({ step: 'exec', code: 'ENOENT' });
    expect((await shim.wait()).exitCode).toBe(1);
  });

  it('exec runs a process in the container with its own output, stdin and exit code', async () => {
    const { id, shim } = await launch(['sleep', '100']);
    await shim.start();
    await env.rt.adopt(id, { pid: shim.pid, status: 'running' });
    const plan = env.rt.execPlan(id, {
      process: { args: ['sh', '-c', 'echo "exec-out $(hostname)"; echo exec-err >&2; exit 5'] },
    });
    const ex = await shim.exec('e1', plan, { terminal: false, stdin: false });
    expect(ex.pid).toBeGreaterThan(0);
    const a = await ex.attach();
    const [out, err] = await Promise.all([collect(a.stdout), collect(a.stderr)]);
    expect(out).toBe(`exec-out ${env.spec([]).hostname}\n`);
    expect(err).toBe('exec-err\n');
    expect(await ex.wait()).toMatchObject({ exitCode: 5, signal: null });

    const cat = await shim.exec('e2', env.rt.execPlan(id, { process: { args: ['cat'] } }), {
      terminal: false,
      stdin: true,
    });
    const c = await cat.attach();
    const catOut = collect(c.stdout);
    c.stdin!.end('through stdin');
    expect(await catOut).toBe('through stdin');
    expect((await cat.wait()).exitCode).toBe(0);

    const tty = await shim.exec(
      'e3',
      env.rt.execPlan(id, { process: { args: ['sh', '-c', 'sleep 0.2; stty size'], terminal: true } }),
      {
        terminal: true,
        stdin: false,
      },
    );
    await tty.resize(77, 33);
    const t = await tty.attach();
    expect(await collect(t.stdout)).toContain('33 77');
    expect((await tty.wait()).exitCode).toBe(0);
    // a process that cannot exec: the engine's error, with the step
    const bad = await shim
      .exec('e4', env.rt.execPlan(id, { process: { args: ['/no/such/tool'] } }), {
        terminal: false,
        stdin: false,
      })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ContainerInitError);
    expect(bad).toMatchObject({ step: 'exec', code: 'ENOENT' });
    // an id in use by a running exec is refused
    const long = await shim.exec('e5', env.rt.execPlan(id, { process: { args: ['sleep', '100'] } }), {
      terminal: false,
      stdin: false,
    });
    await expect(
      shim.exec('e5', env.rt.execPlan(id, { process: { args: ['true'] } }), {
        terminal: false,
        stdin: false,
      }),
    ).rejects.toMatchObject({ code: 'EREQUEST', errno: 'EEXIST' });
    // a detached exec (no streams): its output does not wait for a reader
    const detached = await shim.exec(
      'e7',
      env.rt.execPlan(id, { process: { args: ['sh', '-c', 'seq 1 300000 >&2; seq 1 300000'] } }),
      { terminal: false, stdin: false, attach: false },
    );
    expect(await detached.wait()).toMatchObject({ exitCode: 0 });
    await long.kill(9);
    expect(await long.wait()).toMatchObject({ signal: 9 });
    // the container is untouched
    expect((await shim.state()).status).toBe('running');
    expect(env.rt.state(id).status).toBe('running');
    await shim.kill(9);
    await shim.wait();
    await expect(shim.exec('e6', Buffer.alloc(0), { terminal: false, stdin: false })).rejects.toMatchObject({
      code: 'EREQUEST',
      errno: 'ESRCH',
    });
  });

  it('a new client finds an exec by its id (a supervisor after a restart): state, attach, kill, wait', async () => {
    const { id, shim } = await launch(['sleep', '100']);
    await shim.start();
    await env.rt.adopt(id, { pid: shim.pid, status: 'running' });
    const started = await shim.exec(
      'again',
      env.rt.execPlan(id, { process: { args: ['sh', '-c', 'read x; echo "got $x"; sleep 100'] } }),
      { terminal: false, stdin: true, attach: false },
    );
    const other = await connectShim(env.shimDir(id));
    try {
      expect(await other.process('no-such-exec')).toBeUndefined();
      const found = await other.process('again');
      expect(found).toMatchObject({ id: 'again', pid: started.pid });
      const a = await found!.attach({ stdin: true });
      const out = new Promise<string>((resolve) => {
        let text = '';
        a.stdout!.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('\n')) resolve(text);
        });
      });
      a.stdin!.write('hello\n');
      expect(await out).toBe('got hello\n');
      await found!.kill(9);
      expect(await found!.wait()).toMatchObject({ exitCode: 137, signal: 9 });
      a.close();
    } finally {
      other.close();
      await shim.kill(9);
      await shim.wait();
    }
  });

  it('survives its launcher being killed: reconnect with connectShim, wait still gives the exit code', async () => {
    const id = env.id();
    env.writeSpec(env.spec(['sh', '-c', 'read x; exit 7'], false));
    const { plan } = await env.rt.prepare(id, { bundle: env.bundle });
    const dir = env.shimDir(id);
    const planFile = join(env.dir, 'plan.bin');
    writeFileSync(planFile, plan);
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `
      import { readFileSync } from 'node:fs';
      import { launchShim } from ${JSON.stringify(dist)};
      const shim = await launchShim({ id: ${JSON.stringify(id)}, dir: ${JSON.stringify(dir)},
        plan: readFileSync(${JSON.stringify(planFile)}), stdio: { terminal: false, stdin: true } });
      console.log(JSON.stringify({ pid: shim.pid, shimPid: shim.shimPid }));
      setInterval(() => {}, 1000);`;
    const launcher = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const report = await until(launcher.stdout, /\}\n/);
    const { pid, shimPid } = JSON.parse(report) as { pid: number; shimPid: number };
    launcher.kill('SIGKILL');
    await new Promise((r) => launcher.once('exit', r));
    await env.rt.adopt(id, { pid });
    expect(isAlive(shimPid)).toBe(true);
    const shim = await connectShim(dir);
    expect(shim).toMatchObject({ pid, shimPid });
    const a = await shim.attach({ stdin: true, stdout: true });
    await shim.start();
    a.stdin!.end('x\n');
    expect(await shim.wait()).toMatchObject({ exitCode: 7, signal: null });
    a.close();
    expect(readExitFile(dir)).toMatchObject({ exitCode: 7 });
  });

  it('a container that exits while no client is connected: reconnect, state and wait say how it ended', async () => {
    const { dir, shim } = await launch(['sh', '-c', 'exit 9']);
    await shim.start();
    shim.close();
    while (!readExitFile(dir)) await new Promise((r) => setTimeout(r, 5));
    const again = await connectShim(dir);
    expect(await again.state()).toMatchObject({ status: 'stopped', exitCode: 9 });
    expect(await again.wait()).toMatchObject({ exitCode: 9, signal: null });
    again.close();
  });

  it('wait after the shim is gone answers from the exit file; shutdown kills a running container', async () => {
    const { shim, dir } = await launch(['sleep', '100']);
    await shim.start();
    const other = await connectShim(dir);
    const waiting = other.wait();
    await shim.shutdown();
    // shutdown resolves once the shim has killed and reaped the container and removed its socket
    expect(isAlive(shim.pid)).toBe(false);
    expect(existsSync(join(dir, 'shim.sock'))).toBe(false);
    expect(await waiting).toMatchObject({ exitCode: 137, signal: 9 });
    await waitGone(shim.shimPid);
    await expect(connectShim(dir)).rejects.toMatchObject({ code: 'ENOTRUNNING' });
  });

  it('refuses malformed frames and reports a bad plan at launch', async () => {
    const { dir, shim } = await launch(['true']);
    const sock = createConnection(join(dir, 'shim.sock'));
    const reader = new FrameReader();
    const reply = new Promise<{ type: number; closed: boolean }>((resolve) => {
      let type = 0;
      sock.on('data', (d: Buffer) => {
        for (const f of reader.push(d)) type = f.type;
      });
      sock.on('close', () => resolve({ type, closed: true }));
    });
    // KILL with signal 0 and a string length past the payload
    sock.write(encodeFrame(MsgType.KILL, 0, 9, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0])));
    expect(await reply).toEqual({ type: MsgType.ERROR, closed: true });
    // flags on anything but DATA
    const sock2 = createConnection(join(dir, 'shim.sock'));
    const reader2 = new FrameReader();
    const reply2 = new Promise<number>((resolve) => {
      let type = 0;
      sock2.on('data', (d: Buffer) => {
        for (const f of reader2.push(d)) type = f.type;
      });
      sock2.on('close', () => resolve(type));
    });
    sock2.write(encodeFrame(MsgType.STATE, 1, 3, Buffer.from([0, 0, 0, 0])));
    expect(await reply2).toBe(MsgType.ERROR);
    expect((await shim.state()).status).toBe('created');

    await expect(
      launchShim({
        id: 'berth-bad',
        dir: join(env.dir, 'bad'),
        plan: Buffer.from('not a plan'),
        stdio: { terminal: false, stdin: false },
      }),
    ).rejects.toMatchObject({ code: 'ELAUNCH' });
    await expect(
      launchShim({
        id: 'berth-bad',
        dir: 'relative',
        plan: Buffer.alloc(0),
        stdio: { terminal: false, stdin: false },
      }),
    ).rejects.toMatchObject({ code: 'EINVALID' });
  });
});

/** Processes whose argv has `--dir <dir>` (a shim of that directory, or a fake one). */
function shimsOf(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return argv[argv.indexOf('--dir') + 1] === dir && isAlive(Number(p));
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('a shim that does not answer', () => {
  it('a binary that cannot be executed: ELAUNCH naming it, with the errno of execve', async () => {
    const notExecutable = join(env.dir, 'not-executable-shim');
    writeFileSync(notExecutable, 'not a program\n', { mode: 0o644 });
    const dir = join(env.dir, 'noexec-dir');
    const err = await launchShim({
      id: 'berth-noexec',
      dir,
      plan: Buffer.from('unused'),
      stdio: { terminal: false, stdin: false },
      binary: notExecutable,
    }).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(err).toMatchObject({ code: 'ELAUNCH', errno: 'EACCES' });
    expect(err!.message).toContain(`cannot run ${notExecutable}: execve(${notExecutable}): EACCES`);
    expect(existsSync(join(dir, 'init.plan'))).toBe(false);
  });

  it('a binary that never reports: launchShim gives up after timeoutMs, naming the shim and its directory, and kills it', async () => {
    const fake = join(env.dir, 'fake-shim');
    writeFileSync(fake, '#!/bin/sh\nwhile :; do sleep 1; done\n', { mode: 0o755 });
    const dir = join(env.dir, 'fake-dir');
    const err = await launchShim({
      id: 'berth-fake',
      dir,
      plan: Buffer.from('unused'),
      stdio: { terminal: false, stdin: false },
      binary: fake,
      timeoutMs: 300,
    }).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(err).toMatchObject({ code: 'ETIMEOUT' });
    expect(err!.message).toBe(`shim ${fake} for ${dir} did not report within 300 ms; it was killed`);
    expect(shimsOf(dir)).toEqual([]);
    expect(existsSync(join(dir, 'init.plan'))).toBe(false);
  });

  it('the real shim stuck in a prestart hook: it, the hook and the held init are killed', async () => {
    const id = env.id();
    const hookPid = join(env.dir, `${id}.hook-pid`);
    const spec = env.spec(['true']);
    spec.hooks = {
      prestart: [{ path: '/bin/sh', args: ['sh', '-c', `echo $$ > ${hookPid}; exec sleep 1000`] }],
    };
    env.writeSpec(spec);
    const { plan } = await env.rt.prepare(id, { bundle: env.bundle });
    const dir = env.shimDir(id);
    await expect(
      launchShim({ id, dir, plan, stdio: { terminal: false, stdin: false }, timeoutMs: 1500 }),
    ).rejects.toMatchObject({ code: 'ETIMEOUT', message: expect.stringContaining(dir) });
    expect(shimsOf(dir)).toEqual([]);
    expect(existsSync(join(dir, 'shim.sock'))).toBe(false);
    // the hook is in the shim's process group (when it got to start before the timeout)
    if (existsSync(hookPid)) await waitGone(Number(readFileSync(hookPid, 'utf8')));
    // nothing of the container runs in its cgroup (the caller removes the cgroup: runtime delete)
    const procs = join('/sys/fs/cgroup/memory/berth-runtime', id, 'cgroup.procs');
    for (let i = 0; i < 200 && existsSync(procs) && readFileSync(procs, 'utf8').trim(); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(procs) ? readFileSync(procs, 'utf8').trim() : '').toBe('');
  });
});

const hasRunc = spawnSync('sh', ['-c', 'command -v runc']).status === 0;
/** the workspace's runc-compatible CLI (built by its own package; the test is skipped without it) */
const berthRuntimeCli = fileURLToPath(new URL('../../../apps/berth-runtime/dist/main.js', import.meta.url));

describe.skipIf(!hasRunc)('berth-shim driving an OCI runtime CLI (runc)', () => {
  it('runc create/start through the shim: logs, exec with output, kill, shutdown deletes the runc container', async () => {
    const id = env.id();
    const spec = env.spec(['sh', '-c', 'echo from-runc; exec sleep 100']);
    env.writeSpec(spec);
    const dir = env.shimDir(id);
    const root = join(env.dir, 'runc-root');
    env.onCleanup(() => spawnSync('runc', ['--root', root, 'delete', '--force', id]));
    const logPath = join(env.dir, `${id}.log`);
    const shim = await launchShim({
      id,
      dir,
      runtime: { path: 'runc', bundle: env.bundle, root },
      stdio: { terminal: false, stdin: false },
      log: { path: logPath, format: 'json-file' },
    });
    expect(await shim.state()).toEqual({ status: 'created', pid: shim.pid });
    // runc's init came back to the shim (child subreaper) when `runc create` exited
    const ppid = Number(readFileSync(`/proc/${shim.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    expect(ppid).toBe(shim.shimPid);
    await shim.start();
    expect((await shim.state()).status).toBe('running');
    const processJson = Buffer.from(
      JSON.stringify({ ...spec.process, args: ['sh', '-c', 'echo exec-via-runc; exit 4'], terminal: false }),
    );
    const ex = await shim.exec('e1', processJson, { terminal: false, stdin: false });
    const a = await ex.attach();
    expect(await collect(a.stdout)).toBe('exec-via-runc\n');
    expect((await ex.wait()).exitCode).toBe(4);
    await shim.kill(9);
    expect(await shim.wait()).toMatchObject({ exitCode: 137, signal: 9 });
    expect(JSON.parse(readFileSync(logPath, 'utf8').split('\n')[0]!).log).toBe('from-runc\n');
    await shim.shutdown();
    await waitGone(shim.shimPid);
    expect(spawnSync('runc', ['--root', root, 'state', id]).status).not.toBe(0);
  });

  it("a terminal through runc: the pty master arrives on the shim's console socket", async () => {
    const id = env.id();
    env.writeSpec(env.spec(['sh', '-c', 'tty; stty size'], true));
    const dir = env.shimDir(id);
    env.onCleanup(() => spawnSync('runc', ['--root', join(env.dir, 'runc-root'), 'delete', '--force', id]));
    const shim = await launchShim({
      id,
      dir,
      runtime: { path: 'runc', bundle: env.bundle, root: join(env.dir, 'runc-root') },
      stdio: { terminal: true, stdin: false },
    });
    await shim.resize(90, 30);
    const a = await shim.attach({ stdout: true });
    await shim.start();
    const out = await collect(a.stdout);
    expect(out).toMatch(/\/dev\/pts\/\d+/);
    expect(out).toContain('30 90');
    expect((await shim.wait()).exitCode).toBe(0);
  });

  it.skipIf(!existsSync(berthRuntimeCli))(
    'berth-runtime as the OCI runtime CLI: create, start, exec, exit code',
    async () => {
      const id = env.id();
      const spec = env.spec(['sh', '-c', 'read x; echo "init got $x"; exit 6']);
      env.writeSpec(spec);
      const dir = env.shimDir(id);
      const root = join(env.dir, 'berth-runtime-root');
      env.onCleanup(() => spawnSync(berthRuntimeCli, ['--root', root, 'delete', '--force', id]));
      const logPath = join(env.dir, `${id}.log`);
      const shim = await launchShim({
        id,
        dir,
        runtime: { path: berthRuntimeCli, bundle: env.bundle, root },
        stdio: { terminal: false, stdin: true },
        log: { path: logPath, format: 'raw' },
      });
      const a = await shim.attach({ stdin: true, stdout: true });
      const out = collect(a.stdout);
      await shim.start();
      const ex = await shim.exec(
        'e1',
        Buffer.from(JSON.stringify({ ...spec.process, args: ['echo', 'exec-via-berth-runtime'] })),
        { terminal: false, stdin: false },
      );
      expect(await collect((await ex.attach()).stdout)).toBe('exec-via-berth-runtime\n');
      expect((await ex.wait()).exitCode).toBe(0);
      a.stdin!.end('hi\n');
      expect(await out).toBe('init got hi\n');
      expect(await shim.wait()).toMatchObject({ exitCode: 6 });
      await shim.shutdown();
      expect(spawnSync(berthRuntimeCli, ['--root', root, 'state', id]).status).not.toBe(0);
    },
  );

  it('reports a runc failure with its message', async () => {
    const id = env.id();
    env.writeSpec(env.spec(['/no/such/binary']));
    await expect(
      launchShim({
        id,
        dir: env.shimDir(id),
        runtime: { path: 'runc', bundle: join(env.dir, 'no-bundle'), root: join(env.dir, 'runc-root') },
        stdio: { terminal: false, stdin: false },
      }),
    ).rejects.toMatchObject({ code: 'ELAUNCH', message: expect.stringContaining('runc create') });
  });
});
