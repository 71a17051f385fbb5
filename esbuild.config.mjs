// Builds the CLI that bin/aws-mfa runs: one ESM bundle, code-split at every dynamic import, so a
// command loads only the chunks it needs (the cached session path parses none of the AWS SDK).
// keytar stays external: it is a native module, an optional dependency.
//   node esbuild.config.mjs   (npm run build; `prepare` runs it on npm ci / npm install)
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// Built beside dist/ and swapped in, so that a CLI running meanwhile never sees half a build.
const staging = `dist.building-${process.pid}`;
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts'],
  outdir: staging,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The SDK's CommonJS packages, bundled into ESM, still call require() for Node's modules.
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire as __awsMfaCreateRequire } from 'node:module'; const require = __awsMfaCreateRequire(import.meta.url);" },
  external: ['keytar'],
  define: { AWS_MFA_VERSION: JSON.stringify(version) },
  minify: true,
  sourcemap: true,
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
const retired = `dist.old-${process.pid}`;
rmSync(path.join(root, retired), { recursive: true, force: true });
try {
  renameSync(path.join(root, 'dist'), path.join(root, retired));
} catch {
  // no previous build
}
renameSync(path.join(root, staging), path.join(root, 'dist'));
rmSync(path.join(root, retired), { recursive: true, force: true });

// Which sources each chunk holds: tests use it to prove what the cached path loads.
mkdirSync(path.join(root, '.build'), { recursive: true });
const metafile = JSON.stringify(result.metafile).replaceAll(`${staging}/`, 'dist/');
writeFileSync(path.join(root, '.build', 'esbuild-meta.json'), metafile);
