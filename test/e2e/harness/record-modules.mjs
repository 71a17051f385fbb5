// Loaded with `node --import`: appends the URL of every module the program imports to the file
// named by RECORD_MODULES_TO, so a test can tell which packages a command path loaded.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, nextResolve) {
      const resolved = await nextResolve(specifier, context);
      appendFileSync(${JSON.stringify(process.env.RECORD_MODULES_TO)}, resolved.url + '\\n');
      return resolved;
    }
  `)}`,
);
