/**
 * "Twenty terminals opening at once after the session expired see one prompt and all get
 * credentials" (issue 4), as a user would see it: credential-process on terminals of its own (a
 * pane of a private tmux server each), its stderr captured as the AWS CLI and the SDKs capture a
 * credential_process's stderr, so that only what aws-mfa writes to /dev/tty shows on the screen.
 *
 * Twenty, as the issue says: each is a tmux server and a Node process; the twenty start in about
 * 3 s on the two cores here (all waits below are bounded far above that, to catch a hang only).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cachedSessionPath } from './harness/keychain-tools.js';
import { leftovers } from './harness/leftovers.js';
import { useMoto } from './harness/moto.js';
import { cliPath } from './harness/paths.js';
import { Terminal } from './harness/pty.js';
import { useSandbox } from './harness/sandbox.js';
import { longTermKeys, longTermSection, mfaSerial, motoSession, sessionTokenCalls } from './harness/session-fixtures.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

const TERMINALS = 20;
const CODE = '123456';
const PROMPT = 'MFA code for prod';
const WAITING = 'aws-mfa: waiting for another aws-mfa to get a session for prod';
/** Twenty Node processes starting at once on two cores: generous, only to catch a hang. */
const SHOWS_SOMETHING_WITHIN_MS = 60_000;

beforeEach(() => moto.reset());

/** A session that expired an hour ago, cached from the same keys and device: the morning after. */
function expiredSessionCache(): string {
  return JSON.stringify({
    version: 1,
    origin: { profile: 'prod', mfaSerial, keySource: 'file', longTermKeyId: longTermKeys.accessKeyId },
    session: {
      Version: 1,
      AccessKeyId: 'ASIAEXPIREDSESSION01',
      SecretAccessKey: 'expired-session-secret',
      SessionToken: 'expired-session-token',
      Expiration: new Date(Date.now() - 60 * 60 * 1000).toISOString(),
    },
  });
}

describe(`${TERMINALS} terminals at once after the session expired`, () => {
  it('show one prompt and waiting notices; the code typed once gives every one the same new session, from one STS call', {
    timeout: 180_000,
  }, async () => {
    const box = sandbox();
    box.writeCredentials(longTermSection('prod'));
    box.writeConfig(`[profile prod]\nmfa_serial = ${mfaSerial}\n`);
    box.writeFile(cachedSessionPath(box.cacheHome, 'prod'), expiredSessionCache());
    const stderrFile = (index: number) => join(box.home, `stderr-${index}.txt`);
    // stderr to a file, as a credential_process caller captures it: the screen shows only /dev/tty.
    const argv = (index: number) => ['/bin/sh', '-c', 'err=$1; shift; exec "$@" 2>"$err"', 'sh', stderrFile(index), cliPath];

    const terminals = await Promise.all(
      Array.from({ length: TERMINALS }, (_, index) =>
        Terminal.start([...argv(index), 'credential-process', '-p', 'prod'], { env: box.env(), cwd: box.home }),
      ),
    );
    try {
      await Promise.all(terminals.map((terminal) => terminal.waitForText(new RegExp(`${PROMPT}|${WAITING}`), SHOWS_SOMETHING_WITHIN_MS)));
      const screens = await Promise.all(terminals.map((terminal) => terminal.screen()));
      const prompting = screens.flatMap((screen, index) => (screen.includes(PROMPT) ? [index] : []));
      expect(prompting, screens.join('\n---\n')).toHaveLength(1);
      const holder = terminals[prompting[0] ?? -1] as Terminal;
      const waiting = screens.filter((screen) => screen.includes(WAITING));
      expect(waiting).toHaveLength(TERMINALS - 1);

      await holder.type(`${CODE}\r`);
      const results = await Promise.all(terminals.map((terminal) => terminal.waitForExit(SHOWS_SOMETHING_WITHIN_MS)));

      for (const result of results)
        expect({ code: result.code, signal: result.signal }, result.transcript).toEqual({ code: 0, signal: null });
      expect(new Set(results.map((result) => result.stdout)).size).toBe(1);
      const session = JSON.parse(results[0]?.stdout ?? '') as Record<string, unknown>;
      expect(session).toMatchObject({ Version: 1, AccessKeyId: motoSession.accessKeyId });
      expect(Date.parse(String(session.Expiration))).toBeGreaterThan(Date.now());
      // The notices went to the terminals, not to the stderr that the caller would have swallowed.
      for (let index = 0; index < TERMINALS; index++) expect(readFileSync(stderrFile(index), 'utf8')).not.toContain('waiting');
      // The prompt never reached a waiter's terminal, not even after the holder's session arrived.
      expect(results.filter((result) => result.transcript.includes(PROMPT))).toHaveLength(1);
      expect((await sessionTokenCalls(moto)).map((request) => request.body.get('TokenCode'))).toEqual([CODE]);
      expect(leftovers(box)).toEqual({ locks: [], temporaryFiles: [], other: [] });
    } finally {
      await Promise.all(terminals.map((terminal) => terminal.close()));
    }
  });
});
