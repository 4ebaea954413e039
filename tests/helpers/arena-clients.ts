/** Waiting on the browser's own `ArenaClient` (lib/client) in tests that drive real server processes. */
import type { ArenaClient, ArenaSnapshot } from '../../lib/client';
import type { StudentView } from '../../lib/protocol';
import { allocation } from './sockets';

/** Resolves with `read(snapshot)` once it is defined, checked after every change of the client. */
export function until<T>(client: ArenaClient, read: (snapshot: ArenaSnapshot) => T | undefined, what: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      const { status, view } = client.snapshot;
      reject(new Error(`waited ${timeoutMs} ms for ${what} (status ${status}, phase ${view?.phase ?? 'none'}, version ${view?.version ?? '-'})`));
    }, timeoutMs);
    const check = () => {
      const value = read(client.snapshot);
      if (value === undefined) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    };
    unsubscribe = client.subscribe(check);
    check();
  });
}

export function studentView(snapshot: ArenaSnapshot): StudentView | undefined {
  return snapshot.view?.kind === 'student' ? snapshot.view : undefined;
}

/** An allocation of the seat's allowed tokens leaning `weight` on the `pick`-th of them. */
export function leaning(view: StudentView, pick: number, weight: number): number[] {
  const seat = view.seat;
  if (!seat) throw new Error(`${view.me.nickname} has no seat`);
  return allocation(view.lesson.tokens.length, seat.allowedTokens[pick % seat.allowedTokens.length], weight, seat.allowedTokens);
}
