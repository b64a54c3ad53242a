// A handle on an exec'd process a shim already runs, found again by its id after the supervisor
// restarted (or its connection to the shim was lost). The shim keeps every exec and its exit status
// (PROTOCOL.md: STATE, WAIT, KILL and RESIZE name a process by its id), but @berth/shim's ShimClient
// only hands out such a handle from exec() itself. Until it exports one (ShimClient.process(id)),
// this sends those four requests, whose payloads PROTOCOL.md fixes, on the client's own control
// connection, so replies and errors go through the client's framing and error mapping unchanged.
import { isShimError, type ShimClient, ShimError, type ShimExec } from '@berth/shim';
import { z } from 'zod';
import { SupervisorError } from './errors.js';

const T = { KILL: 2, RESIZE: 3, STATE: 4, WAIT: 5, OK: 100, STATE_R: 102, EXIT: 103 } as const;
const STATUSES = ['created', 'running', 'stopped'] as const;

interface Control {
  request(what: string, type: number, payload?: Buffer): Promise<{ type: number; payload: Buffer }>;
}

function control(client: ShimClient): Control {
  const conn = (client as unknown as { conn?: Partial<Control> }).conn;
  if (typeof conn?.request !== 'function')
    throw new ShimError('EPROTOCOL', 'this @berth/shim client has no control connection to reuse');
  return conn as Control;
}

const u32 = (...v: number[]) => {
  const b = Buffer.alloc(4 * v.length);
  for (const [i, x] of v.entries()) b.writeUInt32LE(x >>> 0, 4 * i);
  return b;
};
const str = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([u32(b.length), b]);
};

/** Reads u32/i32 fields and one trailing length-prefixed string, the shape of STATE_R and EXIT. */
function fields(what: string, p: Buffer, ints: number): { ints: number[]; text: string } {
  if (p.length < 4 * ints + 4) throw new ShimError('EPROTOCOL', `${what}: truncated payload`);
  const out = Array.from({ length: ints }, (_, i) => p.readInt32LE(4 * i));
  const len = p.readUInt32LE(4 * ints);
  if (p.length !== 4 * ints + 4 + len) throw new ShimError('EPROTOCOL', `${what}: bad payload length`);
  return { ints: out, text: p.subarray(4 * ints + 4).toString('utf8') };
}

const ProcessState = z.object({
  status: z.enum(STATUSES),
  pid: z.number().int().min(0),
});

const ExitReply = z.object({
  exitCode: z.number().int().min(0).max(255),
  signal: z.number().int().min(0).max(64),
  exitedAt: z.string().min(1),
});

async function reply(what: string, pending: Promise<{ type: number; payload: Buffer }>, type: number) {
  const f = await pending;
  if (f.type !== type) throw new ShimError('EPROTOCOL', `${what}: reply of type ${f.type}, expected ${type}`);
  return f.payload;
}

/** The exec `execId` of the shim behind `client`, or undefined when the shim does not know it. */
export async function shimProcess(client: ShimClient, execId: string): Promise<ShimExec | undefined> {
  const conn = control(client);
  let pid: number;
  try {
    const p = await reply('state', conn.request('state', T.STATE, str(execId)), T.STATE_R);
    const f = fields('STATE reply', p, 5);
    const st = ProcessState.safeParse({ status: STATUSES[f.ints[0]!], pid: f.ints[1] });
    if (!st.success) throw new ShimError('EPROTOCOL', `STATE reply: ${z.prettifyError(st.error)}`);
    pid = st.data.pid;
  } catch (e) {
    if (isShimError(e, 'EREQUEST') && e.errno === 'ESRCH') return undefined;
    throw e;
  }
  const simple = async (what: string, type: number, payload: Buffer) => {
    await reply(what, conn.request(what, type, payload), T.OK);
  };
  return {
    id: execId,
    pid,
    attach: () =>
      Promise.reject(
        new SupervisorError(
          'FAILED_PRECONDITION',
          `attach to exec "${execId}": the streams of a process started before the supervisor restarted cannot be reached`,
        ),
      ),
    async wait() {
      const f = fields(
        'EXIT reply',
        await reply('wait', conn.request('wait', T.WAIT, str(execId)), T.EXIT),
        2,
      );
      const e = ExitReply.safeParse({ exitCode: f.ints[0], signal: f.ints[1], exitedAt: f.text });
      if (!e.success) throw new ShimError('EPROTOCOL', `EXIT reply: ${z.prettifyError(e.error)}`);
      return { exitCode: e.data.exitCode, signal: e.data.signal || null, exitedAt: e.data.exitedAt };
    },
    resize: (cols, rows) => simple('resize', T.RESIZE, Buffer.concat([u32(cols, rows), str(execId)])),
    kill: (signal) => simple('kill', T.KILL, Buffer.concat([u32(signal, 0), str(execId)])),
  };
}
