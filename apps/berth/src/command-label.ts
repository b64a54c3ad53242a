// Which command an argv runs, roughly, before the command line's own parser is loaded: it only picks
// the code cache file (src/load-bundle.ts), so a wrong guess costs speed, never correctness.

/** Global flags followed by a value (packages/cli's GLOBAL_FLAGS of kind string or list). */
const VALUE_FLAGS = new Set([
  '-c',
  '--context',
  '--config',
  '-H',
  '--host',
  '-l',
  '--log-level',
  '--tlscacert',
  '--tlscert',
  '--tlskey',
]);
/** docker's management commands: `berth network ls` and `berth network rm` run different code. */
const MANAGEMENT = new Set(['builder', 'container', 'image', 'network', 'system', 'volume']);
const WORD = /^[a-z][a-z0-9-]{0,19}$/;

/** 'run', 'network-ls', 'main' (no command: help, --version), or 'other' for anything odd. */
export function commandLabel(argv: string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return 'other';
    if (a.startsWith('-')) {
      if (VALUE_FLAGS.has(a)) i++;
      continue;
    }
    if (!WORD.test(a)) return 'other';
    const next = argv[i + 1];
    return MANAGEMENT.has(a) && next && WORD.test(next) ? `${a}-${next}` : a;
  }
  return 'main';
}
