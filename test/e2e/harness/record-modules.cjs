// Loaded with `node --require`: when the program exits, writes the path of every CommonJS file it
// loaded (the bundle's files, and keytar) to the file named by RECORD_MODULES_TO, and every module
// of Node's own that it loaded after this hook (process.moduleLoadList: `NativeModule stream`, …)
// to that name + `.builtins`, so a test can tell what a command path loaded.
'use strict';
const { writeFileSync } = require('node:fs');

const loadedBefore = new Set(process.moduleLoadList);
process.on('exit', () => {
  const file = process.env.RECORD_MODULES_TO;
  writeFileSync(file, `${Object.keys(require.cache).join('\n')}\n`);
  writeFileSync(`${file}.builtins`, `${process.moduleLoadList.filter((name) => !loadedBefore.has(name)).join('\n')}\n`);
});
