import { describe, expect, it } from 'vitest';
import { failed, passed, warned } from '../../src/doctor/check-result.js';
import { judgeSkew } from '../../src/doctor/clock-check.js';
import { checkEnvironment } from '../../src/doctor/environment-check.js';
import { checkKeychain } from '../../src/doctor/keychain-check.js';
import { formatReport, reportExitCode } from '../../src/doctor/report.js';

describe('judgeSkew: TOTP steps are 30 s, AWS refuses signatures beyond 5 min', () => {
  it.each([
    [0, 'ok'],
    [29.4, 'ok'],
    [-29.4, 'ok'],
    [30, 'warn'],
    [-45, 'warn'],
    [119.9, 'warn'],
    [120, 'fail'],
    [-600, 'fail'],
  ])('%s s: %s', (skew, status) => {
    expect(judgeSkew(skew).status).toBe(status);
  });

  it('says which way the clock is off', () => {
    expect(judgeSkew(600).detail).toBe("600 s ahead of STS's: TOTP codes made here are refused");
    expect(judgeSkew(-45).detail).toBe("45 s behind STS's: TOTP codes made here may be refused");
  });
});

describe('checkEnvironment', () => {
  it('fails on keys in the environment, naming each variable', () => {
    const result = checkEnvironment({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SESSION_TOKEN: 't' }, 'prod');
    expect(result).toMatchObject({
      status: 'fail',
      fix: 'unset AWS_ACCESS_KEY_ID AWS_SESSION_TOKEN (left by an `eval "$(aws-mfa env)"`?)',
    });
  });

  it('fails on AWS_PROFILE naming another profile, and passes when it names this one', () => {
    expect(checkEnvironment({ AWS_PROFILE: 'dev' }, 'prod').status).toBe('fail');
    expect(checkEnvironment({ AWS_PROFILE: 'prod' }, 'prod').status).toBe('ok');
    expect(checkEnvironment({}, 'prod').status).toBe('ok');
  });
});

describe('checkKeychain', () => {
  const unreachable = {
    reached: false,
    why: 'no D-Bus session, which the Secret Service needs',
    hint: 'run inside a desktop session',
  } as const;

  it('an unreachable keychain fails only a profile that needs it', () => {
    expect(checkKeychain(unreachable, 'prod', false).status).toBe('fail');
    expect(checkKeychain(unreachable, 'prod', true).status).toBe('warn');
  });

  it("fails for the profile's item in a locked keyring; a locked default keyring alone is a warning", () => {
    const items = [{ account: 'prod', locked: true }];
    expect(checkKeychain({ reached: true, items, defaultLocked: true }, 'prod', false).status).toBe('fail');
    expect(checkKeychain({ reached: true, items, defaultLocked: true }, 'dev', true).status).toBe('warn');
    expect(checkKeychain({ reached: true, items: [], defaultLocked: false }, 'dev', true).status).toBe('ok');
  });
});

describe('formatReport', () => {
  const results = [
    passed('environment', 'nothing set'),
    warned('keychain', 'not reachable', 'start one'),
    failed('MFA serial', 'none configured', 'set mfa_serial'),
  ];

  it('aligns the columns, puts the fix after an arrow and ends with a summary', () => {
    expect(formatReport('prod', results, false)).toBe(
      [
        'ok    environment  nothing set',
        'warn  keychain     not reachable -> start one',
        'fail  MFA serial   none configured -> set mfa_serial',
        'profile prod: 1 of 3 checks failed, 1 warning: fix them and run aws-mfa doctor again',
        '',
      ].join('\n'),
    );
  });

  it('colours only the status word, and only when asked', () => {
    const coloured = formatReport('prod', results, true);
    expect(coloured).toContain('\x1b[31mfail\x1b[0m  MFA serial');
    expect(coloured.replaceAll('\x1b[31m', '').replaceAll('\x1b[32m', '').replaceAll('\x1b[33m', '').replaceAll('\x1b[0m', '')).toBe(
      formatReport('prod', results, false),
    );
  });

  it('exits 1 for a failure only', () => {
    expect(reportExitCode(results)).toBe(1);
    expect(reportExitCode(results.slice(0, 2))).toBe(0);
  });
});
