import { afterAll, afterEach, beforeAll } from 'vitest';
import { FakeSts } from '../../aws/fake-aws.js';

/** A fake STS on loopback for the test file: started in beforeAll, closed in afterAll. */
export function useFakeSts(): () => FakeSts {
  let sts: FakeSts | undefined;
  beforeAll(async () => {
    sts = await FakeSts.start();
  });
  afterAll(() => sts?.close());
  return () => {
    if (sts === undefined) throw new Error('the fake STS is not running: useFakeSts() starts it in beforeAll');
    return sts;
  };
}

/** Cleanups a test registers (sandboxes, folders, processes), run after it in the order registered. */
export function useCleanups(): (() => void)[] {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return cleanups;
}
