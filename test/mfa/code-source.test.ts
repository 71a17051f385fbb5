import { describe, expect, it } from 'vitest';
import { type MfaCodeRequest, resolveMfaCode } from '../../src/mfa/code-source.js';
import type { MfaPrompts, PromptName } from '../../src/prompt/mfa-prompt.js';
import { createFakeIo } from '../fakes/fake-io.js';

const mfaSerial = 'arn:aws:iam::123456789012:mfa/alice';

function request(prompt: PromptName, overrides: Partial<MfaCodeRequest> = {}): MfaCodeRequest {
  return { profile: 'prod', mfaSerial, codeFlag: undefined, totpSeed: undefined, mfaProcess: undefined, prompt, ...overrides };
}

/** A terminal and a dialog that answer fixed codes and record that they were asked. */
function answering(terminal: string, dialog: string): MfaPrompts & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    terminal: async () => {
      asked.push('terminal');
      return terminal;
    },
    dialog: async () => {
      asked.push('dialog');
      return dialog;
    },
  };
}

function deps(mfaPrompts: MfaPrompts) {
  return { io: createFakeIo(), cacheDirectory: '/nonexistent', sleep: async () => {}, mfaPrompts };
}

describe('resolveMfaCode with a prompt', () => {
  it('asks the prompt the name picks, with the profile and the device', async () => {
    const prompts = answering('111111', '222222');
    await expect(resolveMfaCode(request('dialog'), deps(prompts))).resolves.toEqual({ code: '222222', origin: 'prompt' });
    await expect(resolveMfaCode(request('terminal'), deps(prompts))).resolves.toEqual({ code: '111111', origin: 'prompt' });
    await expect(resolveMfaCode(request('auto'), deps(prompts))).resolves.toEqual({ code: '111111', origin: 'prompt' });
    expect(prompts.asked).toEqual(['dialog', 'terminal', 'terminal']);
  });

  it('asks no prompt when --code gives the code', async () => {
    const prompts = answering('111111', '222222');
    await expect(resolveMfaCode(request('dialog', { codeFlag: '333333' }), deps(prompts))).resolves.toEqual({
      code: '333333',
      origin: 'flag',
    });
    expect(prompts.asked).toEqual([]);
  });

  it('refuses what a prompt returns that is not a code', async () => {
    await expect(resolveMfaCode(request('dialog'), deps(answering('111111', '2222')))).rejects.toThrow(
      'bad MFA code from the prompt: it must be exactly 6 digits',
    );
  });
});
