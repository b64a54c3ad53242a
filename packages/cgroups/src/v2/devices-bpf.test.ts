import { describe, expect, it } from 'vitest';
import type { LinuxDeviceCgroup } from '../resources.js';
import {
  BPF_DEVCG_ACC_MKNOD,
  BPF_DEVCG_ACC_READ,
  BPF_DEVCG_ACC_WRITE,
  BPF_DEVCG_DEV_BLOCK,
  BPF_DEVCG_DEV_CHAR,
  type BpfInsn,
  decodeProgram,
  deviceFilterProgram,
  disassemble,
  encodeProgram,
} from './devices-bpf.js';

/** A tiny interpreter for the instructions the generator emits, run on struct bpf_cgroup_dev_ctx. */
function run(
  prog: BpfInsn[],
  ctx: { type: 'b' | 'c'; major: number; minor: number; access: string },
): number {
  const acc = [...ctx.access].reduce(
    (a, ch) => a | ({ r: BPF_DEVCG_ACC_READ, w: BPF_DEVCG_ACC_WRITE, m: BPF_DEVCG_ACC_MKNOD }[ch] ?? 0),
    0,
  );
  const mem = [
    (acc << 16) | (ctx.type === 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR),
    ctx.major,
    ctx.minor,
  ];
  const r = new Array<number>(11).fill(0);
  for (let pc = 0, steps = 0; steps < 10_000; steps++) {
    const i = prog[pc];
    if (!i) throw new Error(`fell off the program at ${pc}`);
    pc++;
    switch (i.code) {
      case 0x61:
        r[i.dst] = mem[i.off / 4]! >>> 0;
        break;
      case 0x54:
        r[i.dst] = (r[i.dst]! & i.imm) >>> 0;
        break;
      case 0x74:
        r[i.dst] = r[i.dst]! >>> i.imm;
        break;
      case 0xbc:
        r[i.dst] = r[i.src]!;
        break;
      case 0xb7:
        r[i.dst] = i.imm;
        break;
      case 0x55:
        if (r[i.dst] !== i.imm) pc += i.off;
        break;
      case 0x5d:
        if (r[i.dst] !== r[i.src]) pc += i.off;
        break;
      case 0x95:
        return r[0]!;
      default:
        throw new Error(`unknown opcode ${i.code}`);
    }
  }
  throw new Error('no exit');
}

const RUNC_DEFAULTS: LinuxDeviceCgroup[] = [
  { allow: false, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }, // /dev/null
  { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' }, // /dev/zero
  { allow: true, type: 'c', major: 136, access: 'rwm' }, // /dev/pts/*
  { allow: true, type: 'c', major: 5, minor: 1, access: 'rw' }, // /dev/console, no mknod
];

describe('deviceFilterProgram', () => {
  it('starts with the context loads and ends in default deny', () => {
    const asm = disassemble(deviceFilterProgram([]));
    expect(asm).toEqual([
      '0: r2 = *(u32 *)(r1 + 0)',
      '1: w2 &= 65535',
      '2: r3 = *(u32 *)(r1 + 0)',
      '3: w3 >>= 16',
      '4: r4 = *(u32 *)(r1 + 4)',
      '5: r5 = *(u32 *)(r1 + 8)',
      '6: r0 = 0',
      '7: exit',
    ]);
  });

  it('checks type, access subset, major and minor, jumping to the next rule on mismatch', () => {
    const asm = disassemble(
      deviceFilterProgram([{ allow: true, type: 'c', major: 5, minor: 1, access: 'rw' }]),
    );
    expect(asm.slice(6)).toEqual([
      '6: if r2 != 2 goto +7',
      '7: w1 = w3',
      '8: w1 &= 6',
      '9: if r1 != r3 goto +4',
      '10: if r4 != 5 goto +3',
      '11: if r5 != 1 goto +2',
      '12: r0 = 1',
      '13: exit',
      '14: r0 = 0',
      '15: exit',
    ]);
  });

  it('allows exactly what the rules allow (last matching rule wins, default deny)', () => {
    const p = deviceFilterProgram(RUNC_DEFAULTS);
    expect(run(p, { type: 'c', major: 1, minor: 3, access: 'rw' })).toBe(1);
    expect(run(p, { type: 'c', major: 1, minor: 5, access: 'm' })).toBe(1);
    expect(run(p, { type: 'c', major: 136, minor: 42, access: 'rw' })).toBe(1);
    expect(run(p, { type: 'c', major: 5, minor: 1, access: 'rw' })).toBe(1);
    expect(run(p, { type: 'c', major: 5, minor: 1, access: 'm' })).toBe(0); // access not in rule
    expect(run(p, { type: 'b', major: 1, minor: 3, access: 'r' })).toBe(0); // wrong type
    expect(run(p, { type: 'c', major: 1, minor: 8, access: 'r' })).toBe(0); // /dev/random: not listed
    expect(run(p, { type: 'b', major: 8, minor: 0, access: 'r' })).toBe(0);
  });

  it('lets a later deny override an earlier allow, and an allow-all with a type wildcard allow both types', () => {
    const p = deviceFilterProgram([
      { allow: true, access: 'rwm' },
      { allow: false, type: 'c', major: 1, minor: 3, access: 'w' },
    ]);
    expect(run(p, { type: 'b', major: 8, minor: 0, access: 'rw' })).toBe(1);
    expect(run(p, { type: 'c', major: 1, minor: 3, access: 'r' })).toBe(1);
    expect(run(p, { type: 'c', major: 1, minor: 3, access: 'w' })).toBe(0);
    expect(run(p, { type: 'c', major: 1, minor: 3, access: 'rw' })).toBe(1); // 'rw' is not a subset of 'w'
  });

  it('ends at a rule without conditions (the kernel verifier refuses unreachable instructions)', () => {
    const asm = disassemble(
      deviceFilterProgram([{ allow: false }, { allow: true, type: 'c', major: 1, minor: 3 }]),
    );
    expect(asm.slice(6)).toEqual([
      '6: if r2 != 2 goto +4',
      '7: if r4 != 1 goto +3',
      '8: if r5 != 3 goto +2',
      '9: r0 = 1',
      '10: exit',
      '11: r0 = 0',
      '12: exit',
    ]);
    expect(deviceFilterProgram([{ allow: true }, { allow: false }]).length).toBe(8);
  });

  it('treats absent and -1 majors/minors as wildcards', () => {
    const p = deviceFilterProgram([{ allow: true, type: 'b', minor: -1, access: 'r' }]);
    expect(run(p, { type: 'b', major: 259, minor: 7, access: 'r' })).toBe(1);
    expect(run(p, { type: 'b', major: 259, minor: 7, access: 'w' })).toBe(0);
  });

  it('encodes struct bpf_insn little-endian (dst in the low nibble) and decodes back', () => {
    const p = deviceFilterProgram(RUNC_DEFAULTS);
    const buf = encodeProgram(p);
    expect(buf.length).toBe(p.length * 8);
    expect([...buf.subarray(0, 8)]).toEqual([0x61, 0x12, 0, 0, 0, 0, 0, 0]); // r2 = *(u32 *)(r1 + 0)
    expect([...buf.subarray(buf.length - 8)]).toEqual([0x95, 0, 0, 0, 0, 0, 0, 0]); // exit
    expect(decodeProgram(buf)).toEqual(p);
  });

  it('rejects unknown device types and access letters with ECGROUPUNSUPPORTED', () => {
    expect(() => deviceFilterProgram([{ allow: true, type: 'p' }])).toThrow(
      expect.objectContaining({ code: 'ECGROUPUNSUPPORTED', controller: 'devices' }),
    );
    expect(() => deviceFilterProgram([{ allow: true, access: 'x' }])).toThrow(/not \[rwm\]/);
  });
});
