import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

// The CLI uses only @berth/api's client; bundling the package's whole index would also load the
// server's request schemas (hundreds of zod objects built at import) on every command.
const apiClient = fileURLToPath(new URL('../../packages/api/src/client/index.ts', import.meta.url));

export default defineConfig([
  // The bin: a small CommonJS file (dist/package.json makes dist/*.js CommonJS: Node starts a CommonJS
  // main sooner than an ES module) that loads the bundle below with V8's code cache (src/load-bundle.ts).
  {
    entry: ['src/main.ts'],
    format: ['cjs'],
    outExtension: () => ({ js: '.js' }),
    target: 'node20',
    sourcemap: true,
    minify: true,
    onSuccess: async () => {
      writeFileSync(new URL('./dist/package.json', import.meta.url), '{ "type": "commonjs" }\n');
    },
  },
  // The command line in ONE CommonJS file: Node reads and resolves one file instead of a module graph,
  // and vm.Script can cache its compiled code (Node 20 has no code cache for ES modules). Without
  // splitting, esbuild turns each `import('./commands/x.js')` into a lazy init inside the file, so
  // `berth ps` still evaluates only the flag table, the client and ps. Everything is inlined (zod,
  // tar, @berth/*).
  {
    entry: { 'berth-cli': 'src/cli.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    target: 'node20',
    splitting: false,
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
    esbuildOptions(o) {
      // the loader passes the bundle's URL under this name (connect.ts, version-text.ts use it)
      o.define = { ...o.define, 'import.meta.url': '__berthImportMetaUrl' };
      // dynamic import() of node builtins becomes require(): the vm.Script needs no ESM loader
      o.supported = { ...o.supported, 'dynamic-import': false };
    },
    esbuildPlugins: [
      {
        name: 'berth-api-client-only',
        setup(build) {
          build.onResolve({ filter: /^@berth\/api$/ }, () => ({ path: apiClient }));
        },
      },
    ],
  },
]);
