// The cgroup v2 device controller is an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE attached to the
// cgroup (Documentation/admin-guide/cgroup-v2.rst, "Device controller"). This file turns the OCI device
// list into that program. Hand-written: no npm library assembles eBPF, and the program is ~6 instructions
// per rule, so a tiny assembler is clearer than a dependency.
import { unsupported } from '../errors.js';
import type { LinuxDeviceCgroup } from '../resources.js';

// include/uapi/linux/bpf.h
export const BPF_DEVCG_ACC_MKNOD = 1;
export const BPF_DEVCG_ACC_READ = 2;
export const BPF_DEVCG_ACC_WRITE = 4;
export const BPF_DEVCG_DEV_BLOCK = 1;
export const BPF_DEVCG_DEV_CHAR = 2;

// Opcodes used (class | size/op | mode/source).
const LDX_MEM_W = 0x61; // BPF_LDX | BPF_W | BPF_MEM
const ALU32_AND_K = 0x54; // BPF_ALU | BPF_AND | BPF_K
const ALU32_RSH_K = 0x74; // BPF_ALU | BPF_RSH | BPF_K
const ALU32_MOV_X = 0xbc; // BPF_ALU | BPF_MOV | BPF_X
const ALU64_MOV_K = 0xb7; // BPF_ALU64 | BPF_MOV | BPF_K
const JMP_JNE_K = 0x55; // BPF_JMP | BPF_JNE | BPF_K
const JMP_JNE_X = 0x5d; // BPF_JMP | BPF_JNE | BPF_X
const JMP_EXIT = 0x95; // BPF_JMP | BPF_EXIT

/** One eBPF instruction (struct bpf_insn). */
export interface BpfInsn {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

const insn = (code: number, dst: number, src: number, off: number, imm: number): BpfInsn => ({
  code,
  dst,
  src,
  off,
  imm,
});

const ACCESS_BITS: Record<string, number> = {
  m: BPF_DEVCG_ACC_MKNOD,
  r: BPF_DEVCG_ACC_READ,
  w: BPF_DEVCG_ACC_WRITE,
};
const ALL_ACCESS = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;

function accessMask(access: string): number {
  let mask = 0;
  for (const ch of access) {
    const bit = ACCESS_BITS[ch];
    if (bit === undefined)
      throw unsupported('devices', 'bpf', `device access ${JSON.stringify(access)} is not [rwm]*`);
    mask |= bit;
  }
  return mask;
}

/** The instructions checking one rule: each condition jumps past the rest of the block when it fails. */
function ruleBlock(d: LinuxDeviceCgroup): BpfInsn[] {
  const type = d.type ?? 'a';
  const access = accessMask(d.access ?? 'rwm');
  // Each condition is a list of instructions whose last one is a JNE whose offset is patched below.
  const conds: BpfInsn[][] = [];
  if (type === 'b' || type === 'c') {
    conds.push([insn(JMP_JNE_K, 2, 0, 0, type === 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR)]);
  } else if (type !== 'a') {
    throw unsupported('devices', 'bpf', `device type ${JSON.stringify(type)} is not a, b or c`);
  }
  if (access !== ALL_ACCESS) {
    // Match when every requested bit is allowed: (requested & allowed) == requested.
    conds.push([
      insn(ALU32_MOV_X, 1, 3, 0, 0),
      insn(ALU32_AND_K, 1, 0, 0, access),
      insn(JMP_JNE_X, 1, 3, 0, 0),
    ]);
  }
  if (d.major !== undefined && d.major !== null && d.major >= 0)
    conds.push([insn(JMP_JNE_K, 4, 0, 0, d.major)]);
  if (d.minor !== undefined && d.minor !== null && d.minor >= 0)
    conds.push([insn(JMP_JNE_K, 5, 0, 0, d.minor)]);
  const tail = [insn(ALU64_MOV_K, 0, 0, 0, d.allow ? 1 : 0), insn(JMP_EXIT, 0, 0, 0, 0)];
  const block = [...conds.flat(), ...tail];
  let pos = 0;
  for (const c of conds) {
    pos += c.length;
    c[c.length - 1]!.off = block.length - pos; // to the first instruction after this block
  }
  return block;
}

/**
 * The device program for an OCI device list. The spec's list is ordered and the last matching rule wins,
 * so rules are checked from last to first and the first match returns; no match denies (default deny,
 * as runc and crun do). Registers: r2 = device type, r3 = access, r4 = major, r5 = minor.
 */
export function deviceFilterProgram(rules: readonly LinuxDeviceCgroup[]): BpfInsn[] {
  const prologue = [
    insn(LDX_MEM_W, 2, 1, 0, 0), // r2 = ctx->access_type
    insn(ALU32_AND_K, 2, 0, 0, 0xffff), // w2 &= 0xffff: type
    insn(LDX_MEM_W, 3, 1, 0, 0), // r3 = ctx->access_type
    insn(ALU32_RSH_K, 3, 0, 0, 16), // w3 >>= 16: access
    insn(LDX_MEM_W, 4, 1, 4, 0), // r4 = ctx->major
    insn(LDX_MEM_W, 5, 1, 8, 0), // r5 = ctx->minor
  ];
  const out = [...prologue];
  for (const rule of [...rules].reverse()) {
    const block = ruleBlock(rule);
    out.push(...block);
    // A rule without conditions always matches: the verifier refuses unreachable instructions (EINVAL),
    // so nothing may follow it.
    if (block.length === 2) return out;
  }
  out.push(insn(ALU64_MOV_K, 0, 0, 0, 0), insn(JMP_EXIT, 0, 0, 0, 0)); // no rule matched: deny
  return out;
}

/** struct bpf_insn[] as the kernel reads it: code u8, dst:4|src:4 u8, off s16, imm s32, little-endian. */
export function encodeProgram(insns: readonly BpfInsn[]): Buffer {
  const buf = Buffer.alloc(insns.length * 8);
  insns.forEach((i, n) => {
    buf.writeUInt8(i.code, n * 8);
    buf.writeUInt8(((i.src & 0xf) << 4) | (i.dst & 0xf), n * 8 + 1);
    buf.writeInt16LE(i.off, n * 8 + 2);
    buf.writeInt32LE(i.imm, n * 8 + 4);
  });
  return buf;
}

/** The inverse of encodeProgram. */
export function decodeProgram(buf: Buffer): BpfInsn[] {
  const out: BpfInsn[] = [];
  for (let o = 0; o + 8 <= buf.length; o += 8) {
    const regs = buf.readUInt8(o + 1);
    out.push(insn(buf.readUInt8(o), regs & 0xf, regs >> 4, buf.readInt16LE(o + 2), buf.readInt32LE(o + 4)));
  }
  return out;
}

/** A readable listing (kernel verifier style) of the instructions this file emits. */
export function disassemble(insns: readonly BpfInsn[]): string[] {
  return insns.map((i, n) => {
    const t = `${n}: `;
    switch (i.code) {
      case LDX_MEM_W:
        return `${t}r${i.dst} = *(u32 *)(r${i.src} + ${i.off})`;
      case ALU32_AND_K:
        return `${t}w${i.dst} &= ${i.imm}`;
      case ALU32_RSH_K:
        return `${t}w${i.dst} >>= ${i.imm}`;
      case ALU32_MOV_X:
        return `${t}w${i.dst} = w${i.src}`;
      case ALU64_MOV_K:
        return `${t}r${i.dst} = ${i.imm}`;
      case JMP_JNE_K:
        return `${t}if r${i.dst} != ${i.imm} goto +${i.off}`;
      case JMP_JNE_X:
        return `${t}if r${i.dst} != r${i.src} goto +${i.off}`;
      case JMP_EXIT:
        return `${t}exit`;
      default:
        return `${t}<unknown opcode 0x${i.code.toString(16)}>`;
    }
  });
}
