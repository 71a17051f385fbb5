import fs from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { CommandName } from '../cli/command-table.js';
import { bundleIdentity, readCodeCache, writeCodeCache } from './code-cache-file.js';
import { compiledCodeFolder, enableNodeCompileCache } from './compiled-code-folder.js';

/** What the CLI bundle (src/main.ts) exports. */
interface Cli {
  main(argv: readonly string[], onCommand?: (command: CommandName) => void): Promise<number>;
}

/** A cache written after one of these holds every function that a cached answer runs. */
const SESSION_COMMANDS: ReadonlySet<CommandName> = new Set(['credential-process', 'env', 'exec']);

/**
 * Loads the CLI bundle and runs it: what bin/aws-mfa does. The bundle is compiled with V8's cached
 * data of an earlier run, which holds every function that run compiled; Node's own compile cache
 * (Node 22+) holds only what V8 compiles before the code runs, and most functions are compiled
 * only when first called. A session command that succeeded without cached data (or with cached
 * data that V8 refused: another Node, other V8 flags) writes it for the next run.
 * docs/performance.md has the figures.
 *
 * --debug loads the bundle with a plain require, so stack traces map to the TypeScript sources.
 */
export async function startCli(argv: readonly string[], bundleFile: string): Promise<number> {
  if (argv.includes('--debug')) {
    process.setSourceMapsEnabled(true);
    return (nodeModule.createRequire(bundleFile)(bundleFile) as Cli).main(argv);
  }
  const folder = compiledCodeFolder(process.env, process.platform);
  if (folder === undefined) return (nodeModule.createRequire(bundleFile)(bundleFile) as Cli).main(argv);
  enableNodeCompileCache(folder);

  const realBundleFile = fs.realpathSync(bundleFile);
  const identity = bundleIdentity(realBundleFile);
  const cacheFile = path.join(folder, `aws-mfa-${process.version}-${process.arch}.v8`);
  const cachedData = readCodeCache(cacheFile, identity);
  const script = new vm.Script(wrapAsCommonJs(fs.readFileSync(realBundleFile, 'utf8')), { filename: realBundleFile, cachedData });
  const cli = runAsModule(script, realBundleFile) as Cli;

  let command: CommandName | undefined;
  const exitCode = await cli.main(argv, (name) => {
    command = name;
  });
  const cacheIsCurrent = cachedData !== undefined && !script.cachedDataRejected;
  if (exitCode === 0 && command !== undefined && SESSION_COMMANDS.has(command) && !cacheIsCurrent) {
    writeCodeCache(cacheFile, identity, script.createCachedData());
  }
  return exitCode;
}

/** Node's own CommonJS wrapper: the bundle sees the same five names as under require. */
function wrapAsCommonJs(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

/**
 * Runs the compiled bundle as the module require would have made of it, and registers it under its
 * file name: the chunks it loads on demand require the bundle for what they share with it, and must
 * be given this module rather than load a second copy.
 */
function runAsModule(script: vm.Script, file: string): unknown {
  const requireFromBundle = nodeModule.createRequire(file);
  const module = new nodeModule(file) as NodeJS.Module;
  module.filename = file;
  requireFromBundle.cache[file] = module;
  const moduleFunction = script.runInThisContext() as (...args: unknown[]) => void;
  moduleFunction.call(module.exports, module.exports, requireFromBundle, module, file, path.dirname(file));
  module.loaded = true;
  return module.exports;
}
