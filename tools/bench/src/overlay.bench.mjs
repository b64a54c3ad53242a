// Layer apply: berth's streaming applier vs GNU `tar -x`, extracting the same 200 MiB layer tar
// (many small files and a few big ones) onto the same disk, one after the other, in one run.
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyLayer } from '../../../packages/overlay/dist/index.js';
import { printRatios } from './stats.mjs';

const MiB = 1 << 20;
const work = mkdtempSync(join(tmpdir(), 'berth-bench-overlay-'));
try {
  // 1. A source tree: 24,000 small files (1–8 KiB) in 600 dirs, 4 files of 24 MiB, symlinks; ~200 MiB.
  const src = join(work, 'src');
  let seed = 1;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const small = Buffer.alloc(8192);
  for (let i = 0; i < small.length; i++) small[i] = random() & 0xff;
  for (let d = 0; d < 600; d++) {
    const dir = join(src, `usr/share/pkg${d % 40}/dir${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 40; f++)
      writeFileSync(join(dir, `file${f}.txt`), small.subarray(0, 1024 + (random() % 7168)));
  }
  const big = Buffer.alloc(24 * MiB);
  for (let i = 0; i < big.length; i += 4) big.writeUInt32LE(random(), i);
  mkdirSync(join(src, 'opt/big'), { recursive: true });
  for (let b = 0; b < 4; b++) {
    big.writeUInt32LE(b, 0);
    writeFileSync(join(src, `opt/big/blob${b}.bin`), big);
  }
  const tarPath = join(work, 'layer.tar');
  execFileSync('tar', ['-C', src, '-cf', tarPath, '.']);
  rmSync(src, { recursive: true });
  const size = statSync(tarPath).size;
  console.log(
    `layer: ${(size / MiB).toFixed(0)} MiB, 24000 small files + 4 x 24 MiB (GNU tar ${gnuTarVersion()})`,
  );

  const out = join(work, 'out');
  const timed = async (fn) => {
    mkdirSync(out);
    const start = performance.now();
    await fn();
    const ms = performance.now() - start;
    rmSync(out, { recursive: true }); // not timed
    return ms;
  };
  const runs = 3;
  const rows = [
    { name: 'GNU tar -x', times: [] },
    { name: 'berth applyLayer', times: [] },
  ];
  // One warm-up round, then alternate the two so neither always meets a warmer page cache.
  for (let round = 0; round <= runs; round++) {
    const tarTime = await timed(() => {
      const r = spawnSync('tar', ['-xf', tarPath, '-C', out]);
      if (r.status !== 0) throw new Error(`tar -x failed: ${r.stderr}`);
    });
    const berthTime = await timed(() => applyLayer(out, createReadStream(tarPath, { highWaterMark: MiB })));
    if (round > 0) {
      rows[0].times.push(tarTime);
      rows[1].times.push(berthTime);
    }
  }
  printRatios('apply a 200 MiB layer tar (median of 3, goal <= 1.2x GNU tar)', rows, 'GNU tar -x');
} finally {
  rmSync(work, { recursive: true, force: true });
}

function gnuTarVersion() {
  return execFileSync('tar', ['--version'], { encoding: 'utf8' })
    .split('\n')[0]
    .replace(/^tar \(GNU tar\) /, '');
}
