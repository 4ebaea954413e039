/**
 * The hooks of a socket test file, kept apart from the socket helpers so that scripts (the fuzzer's
 * long run, bench/class-try.ts) can use those without importing vitest.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { AttentionEngine } from '../../lib/attention/engine';
import { bootArena, cpuEngine, type Arena, type ArenaOptions } from './sockets';

/** `bootArena`'s options, the engine being the shared one unless a test wraps or replaces it. */
export type ArenaBootOptions = Omit<ArenaOptions, 'engine'> & { engine?: AttentionEngine };

export interface ArenaSetUp {
  /** The cpu engine shared by the file (or describe); only made inside tests and later hooks. */
  readonly engine: AttentionEngine;
  /** Boots an arena that is closed after the test that booted it. */
  boot(options?: ArenaBootOptions): Promise<Arena>;
  /** Boots an arena for the whole file (or describe), from a `beforeAll`; closed in `afterAll`. */
  bootForFile(options?: ArenaBootOptions): Promise<Arena>;
}

/**
 * Registers the hooks of a file (or, called inside a describe, of that describe) that boots arenas:
 * one cpu engine for all its tests, made in `beforeAll` and disposed in `afterAll`; each arena `boot`
 * made closed after the test that booted it, so a failing test cannot leave a server running into the
 * next; each arena `bootForFile` made (from a `beforeAll`) closed before the engine goes. Hooks
 * registered after it see the engine, and their after-hooks run before these (vitest runs them in
 * reverse). A test may close an arena itself, to restart on the same repository: closing is idempotent.
 */
export function setUpArenas(): ArenaSetUp {
  let engine: AttentionEngine | undefined;
  const forTest: Arena[] = [];
  const forFile: Arena[] = [];

  beforeAll(async () => {
    engine = await cpuEngine();
  });

  afterEach(async () => {
    for (const arena of forTest.splice(0)) await arena.close();
  });

  afterAll(async () => {
    for (const arena of forFile.splice(0)) await arena.close();
    engine?.dispose();
    // Reading it after this point would hand out a disposed engine.
    engine = undefined;
  });

  const shared = (): AttentionEngine => {
    // Reading it at the top level of a file, before beforeAll ran, would otherwise fail far from the cause.
    if (engine === undefined) throw new Error('setUpArenas: the engine is not made yet; use it inside a test or a later hook');
    return engine;
  };

  const boot = async (options: ArenaBootOptions, into: Arena[]): Promise<Arena> => {
    const arena = await bootArena({ ...options, engine: options.engine ?? shared() });
    into.push(arena);
    return arena;
  };

  return {
    get engine() {
      return shared();
    },
    boot: (options = {}) => boot(options, forTest),
    bootForFile: (options = {}) => boot(options, forFile),
  };
}
