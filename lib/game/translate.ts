/** From a parsed protocol message to the game event it stands for: the handlers' one-liner. */
import type { ClientEventName, InboundPayload } from '../protocol';
import type { Actor, GameEvent, GameEventBody } from './types';

/**
 * Messages that act on a session the socket already belongs to. Their payload is the game event's
 * body as it is; the others (create, resume, join, rejoin, watch, sync) need the server first: a
 * lesson, a secret, a new player id.
 */
export type RoomEventName = Exclude<
  ClientEventName,
  'session:create' | 'session:resume' | 'seat:join' | 'seat:rejoin' | 'stage:watch' | 'state:sync'
>;

type RoomBody<E extends RoomEventName> = { type: E } & InboundPayload<E>;

// Fails to compile, naming the message, when a protocol payload and its game event drift apart.
type Drifted = { [E in RoomEventName]: RoomBody<E> extends GameEventBody ? never : E }[RoomEventName];
const _inStep: [Drifted] extends [never] ? true : Drifted = true;
void _inStep;

/** The game event for an in-room message from a socket whose identity the server has proven. */
export function roomEvent<E extends RoomEventName>(event: E, payload: InboundPayload<E>, by: Actor): GameEvent {
  // The check above proves this body is one of the game's events.
  const body = { ...payload, type: event } as unknown as GameEventBody;
  return { ...body, by };
}
