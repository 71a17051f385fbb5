import { AwsMfaError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';

/** Placeholder until the rotate command lands. */
export async function rotateCommand(_options: Readonly<Record<string, unknown>>, _io: Io): Promise<number> {
  throw new AwsMfaError('rotate', 'not implemented yet');
}
