// Runs Keychain operations in a process of its own: libsecret connects to the D-Bus session of its
// environment once, so each environment needs a fresh process.
// Arguments: the built keychain module (.build/modules/store/keychain.js) and a JSON array of [operation, ...arguments].
// Prints a JSON array with one outcome per operation: {value} or {error: {line, exitCode}}.
import { pathToFileURL } from 'node:url';

const [modulePath, operationsJson] = process.argv.slice(2);
// Outside any catch: a module that loaded keytar eagerly would fail right here.
const { openKeychain } = await import(pathToFileURL(modulePath).href);

const outcome = (run) =>
  run().then(
    (value) => ({ value }),
    (error) => ({ error: { line: typeof error.toLine === 'function' ? error.toLine() : String(error), exitCode: error.exitCode } }),
  );

const opened = await outcome(() => openKeychain(process.platform));
const outcomes = [];
for (const [operation, ...args] of JSON.parse(operationsJson)) {
  outcomes.push(opened.error ? opened : await outcome(() => opened.value[operation](...args)));
}
process.stdout.write(JSON.stringify(outcomes));
