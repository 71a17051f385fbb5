import { describe, expect, it } from 'vitest';
import { inventoryKeychain, macKeychainItems, type RunTool } from '../../src/store/keychain-inventory.js';

const bus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus', PATH: '/usr/bin', DISPLAY: ':0' };

/** gdbus as the Secret Service answers it, for the calls the inventory makes. */
function fakeGdbus(answers: Record<string, string>, calls: string[][] = []): RunTool {
  return async (command, args, env) => {
    calls.push([command, ...args, JSON.stringify(env)]);
    const key = `${args[5]} ${args[7]}`;
    const answer = answers[key];
    if (answer === undefined) throw new Error(`GDBus.Error:org.freedesktop.DBus.Error.UnknownMethod: ${key}`);
    return answer;
  };
}

describe('inventoryKeychain on Linux (through gdbus)', () => {
  it('lists the accounts of unlocked and locked items, and whether the default collection is locked', async () => {
    const calls: string[][] = [];
    const run = fakeGdbus(
      {
        '/org/freedesktop/secrets org.freedesktop.Secret.Service.SearchItems':
          "([objectpath '/org/freedesktop/secrets/collection/login/1'], [objectpath '/org/freedesktop/secrets/collection/login/2'])\n",
        '/org/freedesktop/secrets/collection/login/1 org.freedesktop.DBus.Properties.Get':
          "(<{'account': 'prod', 'service': 'aws-mfa', 'xdg:schema': 'org.freedesktop.Secret.Generic'}>,)\n",
        '/org/freedesktop/secrets/collection/login/2 org.freedesktop.DBus.Properties.Get':
          "(<{'account': 'it\\'s', 'service': 'aws-mfa'}>,)\n",
        '/org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias': "(objectpath '/org/freedesktop/secrets/collection/login',)\n",
        '/org/freedesktop/secrets/collection/login org.freedesktop.DBus.Properties.Get': '(<true>,)\n',
      },
      calls,
    );
    expect(await inventoryKeychain('linux', bus, run)).toEqual({
      reached: true,
      items: [
        { account: 'prod', locked: false },
        { account: "it's", locked: true },
      ],
      defaultLocked: true,
    });
    // Never DISPLAY: with it, GLib would autolaunch a bus that outlives the command.
    expect(calls.every((call) => !call.at(-1)?.includes('DISPLAY'))).toBe(true);
  });

  it('reads nothing without a session bus it can find, rather than autolaunching one', async () => {
    const calls: string[][] = [];
    const result = await inventoryKeychain('linux', { DISPLAY: ':0' }, fakeGdbus({}, calls));
    expect(result).toMatchObject({ reached: false, why: 'no D-Bus session, which the Secret Service needs' });
    expect(calls).toEqual([]);
  });

  it('says when nothing provides the Secret Service', async () => {
    const run: RunTool = async () => {
      throw new Error(
        'Error: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files',
      );
    };
    expect(await inventoryKeychain('linux', bus, run)).toMatchObject({
      reached: false,
      why: expect.stringContaining('nothing on the D-Bus session'),
    });
  });
});

describe('macKeychainItems', () => {
  it("reads the accounts of aws-mfa's generic passwords from `security dump-keychain`", () => {
    const dump = `keychain: "/Users/a/Library/Keychains/login.keychain-db"
version: 512
class: "genp"
attributes:
    "acct"<blob>="prod"
    "svce"<blob>="aws-mfa"
keychain: "/Users/a/Library/Keychains/login.keychain-db"
version: 512
class: "genp"
attributes:
    "acct"<blob>="someone"
    "svce"<blob>="other-app"
keychain: "/Users/a/Library/Keychains/login.keychain-db"
version: 512
class: "inet"
attributes:
    "acct"<blob>="web"
    "svce"<blob>="aws-mfa"
`;
    expect(macKeychainItems(dump)).toEqual([{ account: 'prod', locked: false }]);
  });
});
