/**
 * The connection's life as a pure state machine, apart from any socket, so every path (first
 * connect, a dropped phone, an outdated page, a kick) can be tested with plain events.
 *
 *   idle ─open→ connecting ─socket up (+ identity proved)→ connected ─socket lost→ reconnecting ─┐
 *                    │                                        ↑_____________ identity proved ______┘
 *                    ├─ handshake says outdated → outdated (terminal: the page must reload)
 *                    └─ identity refused → denied (the page decides: join again, show "ended", …)
 *   any ─kicked→ kicked (terminal)      any ─close→ closed (terminal)
 */
import { ErrorCode } from '../protocol';
import type { ArenaErrorInfo } from './errors';

export type ConnectionStatus =
  /** Not asked to connect yet. */
  | 'idle'
  /** First connection (and proving who we are) in progress. */
  | 'connecting'
  /** Connected, and the identity (if any) accepted: requests go through. */
  | 'connected'
  /** Was connected, lost it, trying again; requests wait. */
  | 'reconnecting'
  /** The server speaks a newer protocol: reload the page. */
  | 'outdated'
  /** The teacher removed this student. */
  | 'kicked'
  /** Connected, but the server refused who we said we were (no such session, bad secret, ended). */
  | 'denied'
  /** The page closed this client. */
  | 'closed';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Reconnection attempts since the connection was last up. */
  attempt: number;
  /** Why the state is what it is (denied, outdated, kicked) or the last failed attempt. */
  error: ArenaErrorInfo | null;
  /** Once connected, a later loss is a *re*connection. */
  hasConnected: boolean;
}

export type ConnectionEvent =
  | { type: 'open' }
  /** The socket is up; `identityPending` when it must still prove who it is before requests flow. */
  | { type: 'socket-connected'; identityPending: boolean }
  | { type: 'identity-proved' }
  | { type: 'identity-refused'; error: ArenaErrorInfo }
  | { type: 'socket-lost' }
  | { type: 'connect-failed'; error: ArenaErrorInfo | null }
  | { type: 'retry'; attempt: number }
  | { type: 'kicked'; message: string }
  | { type: 'close' };

export const initialConnection: ConnectionState = { status: 'idle', attempt: 0, error: null, hasConnected: false };

const TERMINAL: readonly ConnectionStatus[] = ['outdated', 'kicked', 'closed'];

/** Whether no event but a new page can leave this status. */
export function isTerminal(status: ConnectionStatus): boolean {
  return TERMINAL.includes(status);
}

/** Where a connection goes that is trying to be up. */
function trying(state: ConnectionState): ConnectionStatus {
  return state.hasConnected ? 'reconnecting' : 'connecting';
}

/** A refusal that ends the page's conversation with the server for good. */
function terminalFor(error: ArenaErrorInfo): ConnectionStatus | null {
  if (error.code === ErrorCode.protocolOutdated) return 'outdated';
  if (error.code === ErrorCode.authKicked) return 'kicked';
  return null;
}

/** The next connection state. Unchanged states are returned as the same object. */
export function nextConnection(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  if (isTerminal(state.status)) {
    // Closing a kicked or outdated page keeps telling why it stopped.
    return event.type === 'close' && state.status !== 'closed' && state.status !== 'kicked' && state.status !== 'outdated'
      ? { ...state, status: 'closed' }
      : state;
  }
  switch (event.type) {
    case 'open':
      if (state.status === 'idle' || state.status === 'denied') return { ...state, status: trying(state), attempt: 0, error: null };
      return state;
    case 'socket-connected':
      if (state.status === 'denied') return state;
      if (event.identityPending) return state.status === 'connected' ? { ...state, status: trying(state) } : state;
      return { ...state, status: 'connected', attempt: 0, error: null, hasConnected: true };
    case 'identity-proved':
      return { ...state, status: 'connected', attempt: 0, error: null, hasConnected: true };
    case 'identity-refused': {
      const terminal = terminalFor(event.error);
      return { ...state, status: terminal ?? 'denied', error: event.error };
    }
    case 'socket-lost':
      if (state.status === 'denied' || state.status === 'idle') return state;
      return { ...state, status: trying(state) };
    case 'connect-failed': {
      if (event.error) {
        const terminal = terminalFor(event.error);
        if (terminal) return { ...state, status: terminal, error: event.error };
      }
      if (state.status === 'denied' || state.status === 'idle') return state;
      return { ...state, status: trying(state), error: event.error };
    }
    case 'retry':
      if (state.status === 'denied' || state.status === 'idle') return state;
      return { ...state, status: trying(state), attempt: event.attempt };
    case 'kicked':
      return { ...state, status: 'kicked', error: { code: ErrorCode.authKicked, message: event.message } };
    case 'close':
      return { ...state, status: 'closed' };
  }
}

/** A short word for a status bar: what a student needs to know about their connection. */
export function describeStatus(status: ConnectionStatus): string {
  switch (status) {
    case 'idle':
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return 'Connected';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'outdated':
      return 'Out of date';
    case 'kicked':
      return 'Removed';
    case 'denied':
      return 'Not in this game';
    case 'closed':
      return 'Disconnected';
  }
}
