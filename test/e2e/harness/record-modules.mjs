// Loaded with `node --import`: when the program exits, writes the path of every CommonJS file it
// loaded (the bundle's files, and keytar) to the file named by RECORD_MODULES_TO, so a test can
// tell which sources a command path loaded.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const loadedFiles = createRequire(import.meta.url).cache;
process.on('exit', () => writeFileSync(process.env.RECORD_MODULES_TO, `${Object.keys(loadedFiles).join('\n')}\n`));
