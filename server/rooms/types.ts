/** The typed socket.io server and sockets, and who a socket has proven to be. */
import type { Server, Socket } from 'socket.io';
import type { PlayerId } from '../../lib/game';
import type { ClientToServerEvents, ServerToClientEvents } from '../../lib/protocol';

/**
 * A socket's role in one session, set only by a handler that checked it: `session:create` or
 * `session:resume` with the host secret (teacher), `seat:join` or `seat:rejoin` with the player
 * secret (student), `stage:watch` (read-only). A socket holds at most one identity at a time.
 */
export type Identity =
  | { role: 'teacher'; sessionId: string }
  | { role: 'student'; sessionId: string; playerId: PlayerId }
  | { role: 'stage'; sessionId: string };

export interface SocketData {
  identity: Identity | null;
}

/** Socket.io carries no events between processes yet (see server/scale later). */
export type NoInterServerEvents = Record<string, never>;

export type ArenaIo = Server<ClientToServerEvents, ServerToClientEvents, NoInterServerEvents, SocketData>;
export type ArenaSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoInterServerEvents, SocketData>;
