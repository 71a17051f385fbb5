import { describe, expect, it } from 'vitest';
import { fromCredentialProcessObject, toCredentialProcessObject } from '../../src/output/credential-process-json.js';

const credentials = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
  secretAccessKey: 'secret/with+chars',
  sessionToken: 'token==',
  expiration: new Date('2026-11-22T14:00:00.000Z'),
};

describe('credential_process JSON', () => {
  it('has exactly the protocol fields, Version 1 and a second-precision UTC expiration', () => {
    expect(toCredentialProcessObject(credentials)).toEqual({
      Version: 1,
      AccessKeyId: 'ASIAEXAMPLEEXAMPLE12',
      SecretAccessKey: 'secret/with+chars',
      SessionToken: 'token==',
      Expiration: '2026-11-22T14:00:00Z',
    });
  });

  it('reads back what it writes', () => {
    expect(fromCredentialProcessObject(JSON.parse(JSON.stringify(toCredentialProcessObject(credentials))))).toEqual(credentials);
  });

  it.each([
    ['not an object', 'x'],
    ['null', null],
    ['another version', { ...toCredentialProcessObject(credentials), Version: 2 }],
    ['no token', { ...toCredentialProcessObject(credentials), SessionToken: '' }],
    ['a bad expiration', { ...toCredentialProcessObject(credentials), Expiration: 'tomorrow' }],
    ['no expiration', { ...toCredentialProcessObject(credentials), Expiration: undefined }],
  ])('rejects %s', (_label, value) => {
    expect(fromCredentialProcessObject(value)).toBeUndefined();
  });
});
