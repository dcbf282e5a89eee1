// Bundles the API and the workspace packages it uses into dist/ (one file per entry); npm dependencies stay
// external and load from node_modules, so native and wasm assets (PGlite) keep working.
import { build } from 'esbuild';

const externalDependencies = {
  name: 'external-dependencies',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@mentorhub/') ? undefined : { path: args.path, external: true },
    );
  },
};

await build({
  entryPoints: ['src/server.ts', 'src/worker.ts'],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalDependencies],
});
console.log('Built apps/api/dist');
