import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatShellScript } from '../../src/output/shell-script.js';

const HOSTILE_VALUES = ["it's", 'a"b', '$(touch /tmp/x)', '`id`', 'back\\slash', 'new\nline', '$HOME', '!event', 'tab\there', 'üñí', ''];

describe('formatShellScript', () => {
  it('writes sh exports and unsets', () => {
    expect(formatShellScript('sh', [['AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE']], ['AWS_PROFILE'])).toBe(
      "export AWS_ACCESS_KEY_ID='ASIAEXAMPLE'\nunset AWS_PROFILE\n",
    );
  });

  it('writes fish and PowerShell syntax', () => {
    expect(formatShellScript('fish', [['A', "x'y\\z"]], ['AWS_PROFILE'])).toBe("set -gx A 'x\\'y\\\\z'\nset -e AWS_PROFILE\n");
    expect(formatShellScript('powershell', [['A', "x'y\u2019z"]], ['AWS_PROFILE'])).toBe(
      "$Env:A = 'x''y\u2019\u2019z'\nRemove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue\n",
    );
  });

  it.each(HOSTILE_VALUES)('sh reads %j back exactly, expanding nothing', (value) => {
    const script = formatShellScript('sh', [['VALUE', value]], []);
    const echoed = execFileSync('sh', ['-c', `${script}printf '%s' "$VALUE"`], { encoding: 'utf8' });
    expect(echoed).toBe(value);
  });

  it('unsets in sh', () => {
    const script = formatShellScript('sh', [], ['AWS_PROFILE']);
    const output = execFileSync('sh', ['-c', `${script}printf '%s' "\${AWS_PROFILE-unset}"`], {
      encoding: 'utf8',
      env: { ...process.env, AWS_PROFILE: 'prod' },
    });
    expect(output).toBe('unset');
  });
});
