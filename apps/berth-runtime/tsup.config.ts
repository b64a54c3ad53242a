import { defineConfig } from 'tsup';

// One bundle with a chunk per command, so `berth-runtime state` loads only what `state` needs.
// Everything is bundled, @berth/native included, so zod and friends are loaded once from one file
// instead of hundreds of ESM modules from node_modules (that loading was most of startup time).
// @berth/native loads its compiled addon relative to its own dist/index.js; in the bundle that
// `import.meta.url` would point here, so it is rewritten to where @berth/native really is.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  splitting: true,
  clean: true,
  sourcemap: true,
  // smaller source compiles faster: V8's parse of the bundled zod is a good part of startup
  minify: true,
  noExternal: [/^@berth\//, 'cac', 'zod'],
  esbuildPlugins: [
    {
      name: 'berth-native-addon-path',
      setup(build) {
        build.onLoad({ filter: /native[\\/]dist[\\/]index\.js$/ }, async (args) => {
          const { readFile } = await import('node:fs/promises');
          const text = await readFile(args.path, 'utf8');
          const fixed = text.replace(
            'createRequire(import.meta.url)',
            "createRequire(import.meta.resolve('@berth/native'))",
          );
          if (fixed === text) throw new Error(`${args.path}: createRequire(import.meta.url) not found`);
          return { contents: fixed, loader: 'js' };
        });
      },
    },
  ],
});
