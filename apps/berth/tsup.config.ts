import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

// The CLI uses only @berth/api's client; bundling the package's whole index would also load the
// server's request schemas (hundreds of zod objects built at import) on every command.
const apiClient = fileURLToPath(new URL('../../packages/api/src/client/index.ts', import.meta.url));

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
  esbuildPlugins: [
    {
      name: 'berth-api-client-only',
      setup(build) {
        build.onResolve({ filter: /^@berth\/api$/ }, () => ({ path: apiClient }));
      },
    },
  ],
  banner: {
    // bundled CommonJS dependencies call require(): give the ESM bundle one
    js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
  },
});
