'use client';
/**
 * The React side of `ArenaClient`: `useArena(identity)` connects (sharing the page's client for that
 * identity), re-renders on every change, and hands back the view typed for the role.
 *
 *   const { view, status, request, notices } = useArena({ role: 'player', code });
 *   await request('attention:lock', { round: view.round.number });
 */
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ClientEventName, InboundInput, ResponseData } from '../protocol';
import type { ArenaClient, ArenaNotice, ArenaSnapshot, RequestOptions } from './arena-client';
import type { ConnectionStatus } from './connection';
import { ArenaError, ClientErrorCode, type ArenaErrorInfo, type ClientAck } from './errors';
import { obtainArenaClient, releaseArenaClient, retainArenaClient } from './registry';
import { isViewOfRole, type Role, type ViewOfRole } from './views';

export interface UseArena<V> {
  /** The shared client (null without an identity), for what the hook does not wrap. */
  client: ArenaClient | null;
  /** The newest view for this role; null until the first one arrives. */
  view: V | null;
  status: ConnectionStatus;
  /** Reconnection attempts since the connection was last up. */
  reconnectAttempt: number;
  /** Why the client is denied, outdated or kicked, or why the last attempt failed. */
  error: ArenaErrorInfo | null;
  notices: readonly ArenaNotice[];
  /** Server clock minus this device's: pass it to `timeLeftMs` so countdowns follow the server. */
  clockSkewMs: number;
  /** Resolves with the answer's data; rejects with an `ArenaError` (`.code`, `.message`). */
  request: <E extends ClientEventName>(event: E, payload: InboundInput<E>, options?: RequestOptions) => Promise<ResponseData<E>>;
  /** Like `request`, but resolves with `{ ok, data | error }` instead of rejecting. */
  send: <E extends ClientEventName>(event: E, payload: InboundInput<E>, options?: RequestOptions) => Promise<ClientAck<ResponseData<E>>>;
  dismissNotice: (id: number) => void;
  /** Asks for a full snapshot now. */
  resync: () => Promise<void>;
  /** Tries again after a denial (e.g. the session was not found yet). */
  retry: () => void;
}

const IDLE: ArenaSnapshot = { status: 'idle', attempt: 0, error: null, identity: null, identified: false, view: null, notices: [], clockSkewMs: 0 };
const noSubscription = () => () => {};
const noClient = (): ArenaError => new ArenaError(ClientErrorCode.closed, 'There is no session to talk to.');

/**
 * Connects this page as `identity` (a student, teacher or stage of the session with that code) and
 * follows it. Pass null to stay disconnected (e.g. until the code is known).
 */
export function useArena<R extends Role>(identity: { role: R; code: string } | null): UseArena<ViewOfRole[R]> {
  const role = identity?.role ?? null;
  const code = identity?.code ?? null;
  // Never on the server: a socket (and the registry) belong to the browser page.
  const client = useMemo(
    () => (role !== null && code !== null && typeof window !== 'undefined' ? obtainArenaClient({ role, code }) : null),
    [role, code],
  );

  useEffect(() => {
    if (!client) return;
    retainArenaClient(client);
    client.connect();
    return () => releaseArenaClient(client);
  }, [client]);

  const snapshot = useSyncExternalStore(
    client ? client.subscribe : noSubscription,
    () => (client ? client.snapshot : IDLE),
    () => IDLE,
  );

  const request = useCallback(
    <E extends ClientEventName>(event: E, payload: InboundInput<E>, options?: RequestOptions) =>
      client ? client.request(event, payload, options) : Promise.reject(noClient()),
    [client],
  );
  const send = useCallback(
    <E extends ClientEventName>(event: E, payload: InboundInput<E>, options?: RequestOptions): Promise<ClientAck<ResponseData<E>>> =>
      client ? client.attempt(event, payload, options) : Promise.resolve({ ok: false, error: noClient().info }),
    [client],
  );
  const dismissNotice = useCallback((id: number) => client?.dismissNotice(id), [client]);
  const resync = useCallback(() => (client ? client.resync() : Promise.resolve()), [client]);
  const retry = useCallback(() => client?.connect(), [client]);

  const view = role !== null && snapshot.view && isViewOfRole(snapshot.view, role) ? snapshot.view : null;
  return {
    client,
    view,
    status: snapshot.status,
    reconnectAttempt: snapshot.attempt,
    error: snapshot.error,
    notices: snapshot.notices,
    clockSkewMs: snapshot.clockSkewMs,
    request,
    send,
    dismissNotice,
    resync,
    retry,
  };
}
