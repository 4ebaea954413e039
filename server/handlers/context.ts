/** What every handler receives, and the shapes handler files share. */
import type { Lesson } from '../../lib/lessons/schema';
import {
  ErrorCode,
  type Ack,
  type ClientEventName,
  type InboundPayload,
  type ProtocolError,
  type ResponseData,
} from '../../lib/protocol';
import type { Actor } from '../../lib/game';
import type { Door, Sender } from '../limits/door';
import type { Room } from '../rooms/room';
import type { RoomRegistry } from '../rooms/registry';
import type { MemberSocket, Identity } from '../rooms/types';
import type { Logger } from '../log';
import type { RandomBytes } from '../secrets';

export interface HandlerContext {
  registry: RoomRegistry;
  /** Any lesson by id, curated or a teacher's own. */
  findLesson: (id: string) => Promise<Lesson | undefined>;
  randomBytes: RandomBytes;
  logger: Logger;
  /** The server's clock, stamped on every answer. */
  now: () => number;
  /** Every budget a message, join, session or code lookup must fit. */
  door: Door;
  /** Students a new session takes unless the teacher sets otherwise. */
  defaultRoomSize: number;
  /** With several processes: hands an event whose room another process runs to that process. */
  forwarding?: Forwarding;
}

/** How the door reaches rooms that other processes run (server/scale). */
export interface Forwarding {
  /**
   * Null when this process runs the event's room (or the event names none): handle it here. Otherwise
   * the owner's answer, the socket's identity already updated to what the owner proved.
   */
  forward(socket: MemberSocket, event: ClientEventName, payload: unknown): Promise<Ack<unknown> | null>;
  /** The socket left `identity` (it proved another one); the room's owner forgets it. */
  left(socket: MemberSocket, identity: Identity): void;
  /** The socket disconnected; the owner of its room forgets it. */
  disconnected(socket: MemberSocket): void;
}

/** One parsed request from one socket. */
export interface Request<E extends ClientEventName> {
  socket: MemberSocket;
  payload: InboundPayload<E>;
  ctx: HandlerContext;
}

/** Answers one kind of request; the router has already parsed the payload with its schema. */
export type Handler<E extends ClientEventName> = (request: Request<E>) => Promise<Ack<ResponseData<E>>>;

/** A handler for every message of the protocol (the compiler checks none is missing). */
export type Handlers = { [E in ClientEventName]: Handler<E> };

export function refusal(error: ProtocolError): { ok: false; error: ProtocolError } {
  return { ok: false, error };
}

/** The room this socket has joined and the actor its events come from, or why it may not act. */
export function actingIn(ctx: HandlerContext, socket: MemberSocket): { ok: true; room: Room; identity: Identity; by: Actor } | { ok: false; error: ProtocolError } {
  const bound = ctx.registry.boundRoom(socket);
  if (!bound) {
    return refusal({ code: ErrorCode.authForbidden, message: 'Open, join or watch a session first.' });
  }
  const { room, identity } = bound;
  if (identity.role === 'stage') return refusal({ code: ErrorCode.authForbidden, message: 'The stage only watches.' });
  const by: Actor = identity.role === 'teacher' ? { role: 'teacher' } : { role: 'student', playerId: identity.playerId };
  return { ok: true, room, identity, by };
}

/** The socket as the door counts it: itself, its network address and, once proven, its student. */
export function senderOf(socket: MemberSocket): Sender {
  const identity = socket.data.identity;
  return { socketId: socket.id, address: socket.handshake.address, playerId: identity?.role === 'student' ? identity.playerId : null };
}

/**
 * The room a join code names. Codes that name nothing count towards a lockout of this socket and its
 * address, so codes cannot be guessed at speed; while locked out, every lookup is refused.
 */
export async function findRoom(ctx: HandlerContext, socket: MemberSocket, code: string): Promise<{ ok: true; room: Room } | { ok: false; error: ProtocolError }> {
  const sender = senderOf(socket);
  const lockedOut = await ctx.door.lockedOut(sender);
  if (lockedOut) return refusal(lockedOut);
  const found = await ctx.registry.lookup(code);
  if (!found.ok && found.error.code === ErrorCode.sessionNotFound) await ctx.door.missed(sender);
  return found;
}
