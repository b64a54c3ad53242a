// events, stats and signal forwarding against the fake daemon.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventTime, eventTimestamp } from '../src/commands/events.js';
import { statsRow } from '../src/commands/stats.js';
import { berth } from './capture.js';
import { type FakeDaemon, json, startFakeDaemon } from './fake-daemon.js';

let d: FakeDaemon;
beforeEach(async () => {
  d = await startFakeDaemon();
});
afterEach(async () => {
  await d.close();
});

describe('berth events', () => {
  it('prints docker lines with exact nanoseconds and sorted attributes', async () => {
    d.route('GET', /^\/events$/, (r, res) => {
      expect(r.query.get('since')).toBe('100');
      res.writeHead(200);
      // a timeNano beyond 2^53 must print digit for digit
      res.end(
        '{"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"web","image":"busybox"}},"time":1795999518,"timeNano":1795999518154390001}\n',
      );
    });
    const r = await berth(['events', '--since', '100'], { host: d.host });
    expect(r.stdout).toBe('2026-11-30T00:45:18.154390001Z container start abc (image=busybox, name=web)\n');
  });

  it('turns --since durations into unix seconds', () => {
    expect(eventTime('10m', 1_000_000_000)).toBe(String(1_000_000 - 600));
    expect(eventTime('1700000000')).toBe('1700000000');
    expect(eventTime('2023-11-14T22:13:20Z')).toBe('1700000000');
    expect(eventTimestamp('5')).toBe('1970-01-01T00:00:00.000000005Z');
  });
});

describe('berth stats', () => {
  const sample = {
    id: 'c0ffee'.padEnd(64, '0'),
    name: '/web',
    pids_stats: { current: 3 },
    cpu_stats: { cpu_usage: { total_usage: 300 }, system_cpu_usage: 2000, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: 100 }, system_cpu_usage: 1000 },
    memory_stats: {
      usage: 2 * 1024 * 1024,
      limit: 8 * 1024 * 1024,
      stats: { total_inactive_file: 1024 * 1024 },
    },
    networks: { eth0: { rx_bytes: 1500, tx_bytes: 500 } },
    blkio_stats: {
      io_service_bytes_recursive: [
        { op: 'Read', value: 4096 },
        { op: 'Write', value: 0 },
      ],
    },
  };

  it('computes docker columns from a sample', () => {
    expect(statsRow('web', sample, true)).toMatchObject({
      ID: 'c0ffee000000',
      Name: 'web',
      CPUPerc: '40.00%',
      MemUsage: '1MiB / 8MiB',
      MemPerc: '12.50%',
      NetIO: '1.5kB / 500B',
      BlockIO: '4.1kB / 0B',
      PIDs: '3',
    });
  });

  it('--no-stream prints one table', async () => {
    d.route('GET', /^\/containers\/web\/stats$/, (r, res) => {
      expect(r.query.get('stream')).toBe('0');
      json(res, 200, sample);
    });
    const r = await berth(['stats', '--no-stream', 'web'], { host: d.host });
    expect(r.stdout.split('\n')[0]).toBe(
      'CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O        BLOCK I/O    PIDS',
    );
    expect(r.stdout.split('\n')[1]).toMatch(
      /^c0ffee000000 +web +40.00% +1MiB \/ 8MiB +12.50% +1.5kB \/ 500B +4.1kB \/ 0B +3$/,
    );
  });
});

describe('signal forwarding', () => {
  it('run forwards SIGINT to the container (--sig-proxy) and exits with its status', async () => {
    const ID = 'f'.repeat(64);
    let exited: (() => void) | undefined;
    const exitedP = new Promise<void>((r) => {
      exited = r;
    });
    const signals = new EventEmitter();
    d.route('POST', /^\/containers\/create$/, (_r, res) => json(res, 201, { Id: ID }));
    d.hijack(/attach$/, (_r, sock) => {
      exitedP.then(() => sock.end());
    });
    d.route('POST', /wait$/, async (_r, res) => {
      res.writeHead(200);
      res.flushHeaders();
      await exitedP;
      res.end('{"StatusCode":130}');
    });
    d.route('POST', /start$/, (_r, res) => {
      res.writeHead(204);
      res.end();
      setTimeout(() => signals.emit('SIGINT'), 50);
    });
    d.route('POST', /kill$/, (r, res) => {
      expect(r.query.get('signal')).toBe('SIGINT');
      res.writeHead(204);
      res.end();
      exited?.();
    });
    const r = await berth(['run', 'busybox', 'sleep', '100'], { host: d.host, signals });
    expect(r.code).toBe(130);
    expect(d.requests.map((q) => q.path.split('/').at(-1))).toContain('kill');
  });
});
