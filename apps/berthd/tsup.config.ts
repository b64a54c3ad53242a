import { defineConfig } from 'tsup';

// Two entries: the runnable bin (one bundle with every @berth package inlined, so it starts from one
// file) and the library entry the tests and the CLI's auto-start import. @berth/native loads its
// addon relative to its own dist/index.js, so that `import.meta.url` is rewritten to the package;
// better-sqlite3, netlink (native addons) and zstd-wasm (loads its .wasm beside itself) stay external.
export default defineConfig({
  entry: ['src/main.ts', 'src/index.ts'],
  format: ['esm'],
  target: 'node20',
  splitting: true,
  clean: true,
  sourcemap: true,
  dts: { entry: 'src/index.ts' },
  noExternal: [/^@berth\//, 'cac', 'zod', 'pino'],
  external: ['better-sqlite3', 'netlink', '@bokuweb/zstd-wasm'],
  banner: {
    js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
  },
  esbuildPlugins: [
    {
      name: 'berth-native-addon-path',
      setup(build) {
        build.onLoad({ filter: /native[\\/]dist[\\/]index\.js$/ }, async (args) => {
          const { readFile } = await import('node:fs/promises');
          const text = await readFile(args.path, 'utf8');
          const fixed = text.replaceAll(
            'createRequire(import.meta.url)',
            "createRequire(import.meta.resolve('@berth/native'))",
          );
          return { contents: fixed, loader: 'js' };
        });
      },
    },
  ],
});
