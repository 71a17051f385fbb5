import { createRequire } from 'node:module';

interface LazyBuiltins {
  'node:os': typeof import('node:os');
  'node:tty': typeof import('node:tty');
}

/**
 * One of Node's own modules, loaded when first asked for rather than when the bundle loads: the
 * cached path never uses these, and loading them costs it time (`node:os` about 0.4 ms).
 */
export function lazyBuiltin<Name extends keyof LazyBuiltins>(name: Name): LazyBuiltins[Name] {
  return createRequire(import.meta.url)(name) as LazyBuiltins[Name];
}
