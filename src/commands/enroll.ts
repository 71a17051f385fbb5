import { AwsMfaError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';

/** Placeholder until the enroll command lands. */
export async function enrollCommand(_options: Readonly<Record<string, unknown>>, _io: Io): Promise<number> {
  throw new AwsMfaError('enroll', 'not implemented yet');
}
