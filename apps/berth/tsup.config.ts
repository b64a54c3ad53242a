import { defineConfig } from 'tsup';

// One bundle with a chunk per command (splitting), so `berth ps` loads the flag table, the client and
// ps, not every command. Everything is bundled (zod, tar, @berth/*): loading one file is much faster
// than resolving hundreds of ESM modules from node_modules.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  splitting: true,
  clean: true,
  sourcemap: true,
  minify: true,
  noExternal: [
    /^@berth\//,
    'zod',
    'tar',
    /^@balena\//,
    /^@isaacs\//,
    'minipass',
    'minizlib',
    'chownr',
    'yallist',
    'mkdirp',
  ],
  banner: {
    // bundled CommonJS dependencies call require(): give the ESM bundle one
    js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
  },
});
