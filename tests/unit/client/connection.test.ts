import { describe, expect, it } from 'vitest';
import { initialConnection, isTerminal, nextConnection, type ConnectionEvent, type ConnectionState } from '../../../lib/client/connection';
import { ErrorCode } from '../../../lib/protocol';

function play(...events: ConnectionEvent[]): ConnectionState {
  return events.reduce(nextConnection, initialConnection);
}

const outdated = { code: ErrorCode.protocolOutdated, message: 'reload' };
const notFound = { code: ErrorCode.sessionNotFound, message: 'no such session' };

describe('the connection state machine', () => {
  it('connects, and with an identity only counts as connected once it is proved', () => {
    expect(play({ type: 'open' }).status).toBe('connecting');
    expect(play({ type: 'open' }, { type: 'socket-connected', identityPending: false }).status).toBe('connected');
    const pending = play({ type: 'open' }, { type: 'socket-connected', identityPending: true });
    expect(pending.status).toBe('connecting');
    expect(nextConnection(pending, { type: 'identity-proved' })).toMatchObject({ status: 'connected', hasConnected: true });
  });

  it('a lost connection is reconnecting until the identity is proved again', () => {
    let state = play({ type: 'open' }, { type: 'socket-connected', identityPending: true }, { type: 'identity-proved' });
    state = nextConnection(state, { type: 'socket-lost' });
    expect(state.status).toBe('reconnecting');
    state = nextConnection(state, { type: 'retry', attempt: 3 });
    expect(state).toMatchObject({ status: 'reconnecting', attempt: 3 });
    state = nextConnection(state, { type: 'socket-connected', identityPending: true });
    expect(state.status).toBe('reconnecting');
    state = nextConnection(state, { type: 'identity-proved' });
    expect(state).toMatchObject({ status: 'connected', attempt: 0, error: null });
  });

  it('a failure before the first connection stays "connecting" and keeps the reason', () => {
    const offline = { code: 'client/offline' as const, message: 'xhr poll error' };
    const state = play({ type: 'open' }, { type: 'connect-failed', error: offline });
    expect(state).toMatchObject({ status: 'connecting', error: offline });
  });

  it('an outdated handshake or refusal is terminal', () => {
    for (const state of [
      play({ type: 'open' }, { type: 'connect-failed', error: outdated }),
      play({ type: 'open' }, { type: 'socket-connected', identityPending: true }, { type: 'identity-refused', error: outdated }),
    ]) {
      expect(state.status).toBe('outdated');
      expect(isTerminal(state.status)).toBe(true);
      expect(nextConnection(state, { type: 'socket-connected', identityPending: false })).toBe(state);
      expect(nextConnection(state, { type: 'close' }).status).toBe('outdated');
    }
  });

  it('a kick is terminal, whether it comes as a notice or as a refused identity', () => {
    const connected = play({ type: 'open' }, { type: 'socket-connected', identityPending: false });
    const kicked = nextConnection(connected, { type: 'kicked', message: 'removed' });
    expect(kicked).toMatchObject({ status: 'kicked', error: { code: ErrorCode.authKicked } });
    expect(nextConnection(kicked, { type: 'socket-lost' })).toBe(kicked);
    expect(nextConnection(kicked, { type: 'open' })).toBe(kicked);
    const refused = play({ type: 'open' }, { type: 'identity-refused', error: { code: ErrorCode.authKicked, message: 'x' } });
    expect(refused.status).toBe('kicked');
  });

  it('a refused identity is "denied" and can be tried again', () => {
    const denied = play({ type: 'open' }, { type: 'socket-connected', identityPending: true }, { type: 'identity-refused', error: notFound });
    expect(denied).toMatchObject({ status: 'denied', error: notFound });
    expect(nextConnection(denied, { type: 'socket-lost' })).toBe(denied);
    expect(nextConnection(denied, { type: 'open' })).toMatchObject({ status: 'connecting', error: null });
    // A successful join on the same socket clears the denial.
    expect(nextConnection(denied, { type: 'identity-proved' }).status).toBe('connected');
  });

  it('closing ends everything but a kick or an outdated page', () => {
    const connected = play({ type: 'open' }, { type: 'socket-connected', identityPending: false });
    const closed = nextConnection(connected, { type: 'close' });
    expect(closed.status).toBe('closed');
    expect(nextConnection(closed, { type: 'open' })).toBe(closed);
  });

  it('returns the same object when nothing changes', () => {
    const connecting = play({ type: 'open' });
    expect(nextConnection(connecting, { type: 'open' })).toBe(connecting);
    expect(nextConnection(initialConnection, { type: 'socket-lost' })).toBe(initialConnection);
  });
});
