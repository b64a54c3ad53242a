import { defineConfig } from 'tsup';

// One bundle with a chunk per command, so `berth-runtime state` loads only what `state` needs.
// Workspace packages, zod and cac are bundled in; @berth/native stays external because it loads
// its compiled addon relative to its own files.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  splitting: true,
  clean: true,
  sourcemap: true,
  noExternal: [/^@berth\/(?!native$)/, 'cac', 'zod'],
  external: ['@berth/native'],
});
