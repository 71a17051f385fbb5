// Loaded with `node --import`: the rename that ends an atomic write onto PAUSE_RENAME_OF never
// happens. The writer records `{"pid","temporary"}` in PAUSE_RENAME_MARKER (whole, by a rename of its
// own) and waits to be killed, so a test can look at its temporary file and its locks, then kill it
// between creating and renaming.
import { renameSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';

const { PAUSE_RENAME_OF: target, PAUSE_RENAME_MARKER: marker } = process.env;
const rename = fs.rename;

fs.rename = async (from, to) => {
  if (String(to) !== target) return rename(from, to);
  writeFileSync(`${marker}.partial`, JSON.stringify({ pid: process.pid, temporary: String(from) }));
  renameSync(`${marker}.partial`, marker);
  // A timer keeps the process alive: a bare pending promise would let it exit.
  setInterval(() => {}, 60_000);
  return new Promise(() => {});
};
