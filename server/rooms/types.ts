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
  /**
   * With several processes: the process that owned the room when this identity was proven there,
   * for a socket whose room another process runs. Absent when this process runs the room.
   */
  ownerProcess?: string;
}

/** No events between processes through socket.io: they travel on Redis channels of their own (server/scale). */
export type NoInterServerEvents = Record<string, never>;

export type ArenaIo = Server<ClientToServerEvents, ServerToClientEvents, NoInterServerEvents, SocketData>;
export type ArenaSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoInterServerEvents, SocketData>;

/**
 * A socket as rooms and handlers use it: one of this process's sockets, or (with several processes)
 * the owner's stand-in for a socket connected to another process, reached through the adapter.
 */
export interface MemberSocket {
  readonly id: string;
  data: SocketData;
  readonly handshake: { readonly address: string };
  /** False once a local socket has disconnected; absent for the owner's stand-ins. */
  readonly connected?: boolean;
  join(rooms: string | string[]): unknown;
  leave(room: string): unknown;
  disconnect(close: boolean): unknown;
}
