// Builds the CLI that bin/aws-mfa runs: CommonJS, code-split at every dynamic import, and a small
// start-up file that loads it with the compiled code of earlier runs (src/start-up/start-cli.ts).
//   rollup -c   (npm run build; `prepare` runs it on npm ci / npm install)
//
// Why Rollup and CommonJS (docs/performance.md has the figures): the cached credential-process
// path must cost little more than starting Node.
// - A CommonJS entry skips the start of Node's ESM loader, about 5 ms.
// - Rollup puts every module that the entry loads anyway into the entry chunk; a lazily loaded
//   chunk reuses it from there. esbuild splits such shared modules into chunks of their own, and
//   loading those costs the cached path about 7 ms more.
// - The start-up file is a build of its own: sharing a module with the CLI would split that module
//   into a chunk of its own, one more file on the cached path. Nothing caches its own compiled
//   code, so it holds only what it needs (about 3 KB).
// keytar stays external: it is a native module, an optional dependency.
// The build is reproducible: the same sources and lock file give the same bytes.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';

const root = path.dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// Built beside dist/ and swapped in, so that a CLI running meanwhile never sees half a build.
const staging = path.join(root, `dist.building-${process.pid}`);

const plugins = () => [
  nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
  commonjs(),
  json(),
  esbuild({ target: 'node20', minify: true, sourceMap: true, define: { AWS_MFA_VERSION: JSON.stringify(version) } }),
];
const sourcesByFile = {};

export default [
  {
    input: { 'aws-mfa': path.join(root, 'src', 'main.ts') },
    // The entry chunk also exports what lazily loaded chunks share with it, instead of a facade.
    preserveEntrySignatures: 'allow-extension',
    external: ['keytar', /^node:/],
    plugins: [...plugins(), noteSources()],
    onwarn(warning, warn) {
      // Both are common and harmless in the SDK's and its dependencies' code.
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
    output: {
      dir: staging,
      format: 'cjs',
      entryFileNames: '[name].cjs',
      chunkFileNames: 'chunks/[name]-[hash].cjs',
      sourcemap: true,
    },
  },
  // Built last (Rollup builds a list of configurations in order): it also swaps the build into dist/.
  {
    input: { 'start-up': path.join(root, 'src', 'start-up', 'start-cli.ts') },
    external: [/^node:/],
    plugins: [...plugins(), noteSources(), swapIntoDist()],
    output: { dir: staging, format: 'cjs', entryFileNames: '[name].cjs', sourcemap: true },
  },
];

/** Notes which sources each file of the build holds (tests read it). */
function noteSources() {
  return {
    name: 'note-sources',
    writeBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk') {
          sourcesByFile[`dist/${chunk.fileName}`] = Object.keys(chunk.modules).map((id) => path.relative(root, id.replace(/^\0/, '')));
        }
      }
    },
  };
}

/** Replaces dist/ by the finished build, and writes down which sources each of its files holds. */
function swapIntoDist() {
  return {
    name: 'swap-into-dist',
    writeBundle() {
      const dist = path.join(root, 'dist');
      const retired = path.join(root, `dist.old-${process.pid}`);
      rmSync(retired, { recursive: true, force: true });
      try {
        renameSync(dist, retired);
      } catch {
        // no previous build
      }
      renameSync(staging, dist);
      rmSync(retired, { recursive: true, force: true });
      mkdirSync(path.join(root, '.build'), { recursive: true });
      writeFileSync(path.join(root, '.build', 'bundle-sources.json'), JSON.stringify(sourcesByFile));
    },
  };
}
