import { AwsMfaError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';

/** Placeholder until the audit command lands. */
export async function auditCommand(_options: Readonly<Record<string, unknown>>, _io: Io): Promise<number> {
  throw new AwsMfaError('audit', 'not implemented yet');
}
