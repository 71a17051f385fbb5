import { describe, expect, it } from 'vitest';
import { useMoto } from './harness/moto.js';
import { useSandbox } from './harness/sandbox.js';

const moto = useMoto();
const sandbox = useSandbox(moto, { region: 'us-east-1' });

describe('aws-mfa policy', () => {
  it.each([[[]], [['--self-service']], [['--max-age', '1h', '--partition', 'aws']]])(
    'with %j prints a policy IAM accepts (CreatePolicy through boto3)',
    async (args) => {
      const box = sandbox();
      const printed = await box.runCli(['policy', ...args]);
      expect(printed.code, printed.stderr).toBe(0);
      expect(printed.stderr).toBe('');
      const created = await box.runPython(
        [
          'import boto3, sys',
          'iam = boto3.client("iam")',
          `name = "enforce-mfa-${args.length}"`,
          'arn = iam.create_policy(PolicyName=name, PolicyDocument=sys.stdin.read())["Policy"]["Arn"]',
          'print(arn)',
        ].join('\n'),
        { stdin: printed.stdout, env: { AWS_ACCESS_KEY_ID: 'AKIAADMINPOLIEXAMPLE', AWS_SECRET_ACCESS_KEY: 'admin-secret' } },
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toMatch(/^arn:aws:iam::\d{12}:policy\/enforce-mfa-/);
    },
  );
});
