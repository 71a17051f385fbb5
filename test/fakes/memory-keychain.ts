import type { Keychain } from '../../src/store/keychain.js';

/** A keychain in memory, for tests of what sits above the keychain. */
export function memoryKeychain(initial: Record<string, string> = {}): Keychain & { readonly items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    get: async (account) => items.get(account),
    set: async (account, secret) => void items.set(account, secret),
    delete: async (account) => items.delete(account),
    entries: async () => [...items].map(([account, secret]) => ({ account, secret })),
  };
}
