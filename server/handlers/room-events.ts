/**
 * The in-room messages (student moves and teacher controls) all go the same way: the socket's proven
 * identity becomes the event's `by`, the room's queue applies it, the reducer's answer is the ack.
 */
import { roomEvent, type ReduceResult, type RoomEventName } from '../../lib/game';
import type { Ack } from '../../lib/protocol';
import { actingIn, type HandlerContext, type Request } from './context';

/** Applies one in-room message through the room's queue and returns the reducer's answer. */
export async function applyRoomEvent<E extends RoomEventName>(
  ctx: HandlerContext,
  request: Request<E>,
  event: E,
): Promise<ReduceResult> {
  const acting = actingIn(ctx, request.socket);
  if (!acting.ok) return acting;
  return acting.room.dispatch(roomEvent(event, request.payload, acting.by));
}

/** A handler whose answer is the state's new version. */
export function versionRequest<E extends RoomEventName>(event: E): (request: Request<E>) => Promise<Ack<{ version: number }>> {
  return async (request) => {
    const result = await applyRoomEvent(request.ctx, request, event);
    return result.ok ? { ok: true, data: { version: result.state.version } } : { ok: false, error: result.error };
  };
}
