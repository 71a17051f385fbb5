// Loaded with `node --import`: appends the argv of every child process the program starts to the
// file named by RECORD_SPAWNS_TO, one JSON array a line. spawn, execFile, exec and cross-spawn all
// go through ChildProcess#spawn, whose options.args is the argv the child gets (and `ps` shows).
import { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const spawn = ChildProcess.prototype.spawn;

ChildProcess.prototype.spawn = function recordedSpawn(options) {
  appendFileSync(process.env.RECORD_SPAWNS_TO, `${JSON.stringify(options.args ?? [options.file])}\n`);
  return spawn.call(this, options);
};
