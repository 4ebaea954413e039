/**
 * Idle expiry: a session with no teacher connected and no move by anyone for the idle time is ended
 * and saved (its review stays), so abandoned sessions stop holding memory and are no longer restored
 * at every start. The first sweep runs right after the restore, which ends the ones abandoned before
 * a restart.
 */
import type { Clock } from '../rooms/clock';
import type { RoomRegistry } from '../rooms/registry';
import { errorFields, type Logger } from '../log';

export interface IdleSweepDeps {
  registry: RoomRegistry;
  clock: Clock;
  idleMs: number;
  logger: Logger;
}

/** Ends every idle session now; resolves with how many. */
export async function sweepIdle({ registry, clock, idleMs, logger }: IdleSweepDeps): Promise<number> {
  const now = clock.now();
  const idle = registry.all().filter((room) => {
    const state = room.state;
    return state.phase !== 'ended' && !room.teacherPresent && now - (state.lastActivityAt ?? state.createdAt) >= idleMs;
  });
  for (const room of idle) await registry.expire(room);
  if (idle.length > 0) logger.info({ family: 'limits', ended: idle.length }, `Ended ${idle.length} idle session(s): no teacher and no activity for ${Math.round(idleMs / 60_000)} min`);
  return idle.length;
}

/** Sweeps now, then every `everyMs`; returns the stop function. */
export function startIdleSweeps(deps: IdleSweepDeps, everyMs = Math.min(60_000, Math.max(1000, Math.floor(deps.idleMs / 4)))): () => void {
  let stopped = false;
  let cancel: (() => void) | null = null;
  const tick = async () => {
    if (stopped) return;
    // The next sweep is set before this one runs, so a slow save never stretches the interval.
    cancel = deps.clock.schedule(everyMs, () => void tick());
    try {
      await sweepIdle(deps);
    } catch (error) {
      deps.logger.error({ family: 'limits', ...errorFields(error) }, 'idle sweep failed');
    }
  };
  void tick();
  return () => {
    stopped = true;
    cancel?.();
  };
}
