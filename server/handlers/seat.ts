/**
 * Students joining and coming back. `seat:join` mints the player id and secret (only the secret's
 * hash is kept); `seat:rejoin` with the secret returns the same player, seat, allocation and score.
 */
import { ErrorCode, type StudentView } from '../../lib/protocol';
import { hashSecret, mintId, mintSecret } from '../secrets';
import { findRoom, refusal, senderOf, type Handlers } from './context';

export const seatHandlers: Pick<Handlers, 'seat:join' | 'seat:rejoin'> = {
  async 'seat:join'({ socket, payload, ctx }) {
    const found = await findRoom(ctx, socket, payload.code);
    if (!found.ok) return found;
    const { room } = found;
    const tooMany = await ctx.door.admitJoin(senderOf(socket).address, room.sessionId);
    if (tooMany) return refusal(tooMany);
    const playerId = mintId('p_', ctx.randomBytes);
    // Hashed with the session, so the id the browser keeps cannot link it across sessions.
    const device = payload.device === undefined ? null : hashSecret(`${room.sessionId}:${payload.device}`);
    const playerSecret = mintSecret(ctx.randomBytes);
    return room.enqueue(async () => {
      const result = await room.apply(
        { type: 'seat:join', nickname: payload.nickname, device, by: { role: 'student', playerId } },
        // Known before the join's snapshot is written, so a restarted server still recognises the secret.
        { onAccepted: () => room.addPlayerSecret(playerId, hashSecret(playerSecret)) },
      );
      if (!result.ok) return result;
      const identity = { role: 'student', sessionId: room.sessionId, playerId } as const;
      ctx.registry.bind(socket, identity, room);
      return { ok: true, data: { playerId, playerSecret, view: room.viewOf(identity) as StudentView } };
    });
  },

  async 'seat:rejoin'({ socket, payload, ctx }) {
    const found = await findRoom(ctx, socket, payload.code);
    if (!found.ok) return found;
    const { room } = found;
    const playerId = room.playerForSecret(payload.playerSecret);
    if (playerId === null) {
      return refusal({ code: ErrorCode.authBadSecret, message: 'That secret belongs to no student of this session.' });
    }
    return room.enqueue(async () => {
      const result = await room.apply({ type: 'seat:rejoin', by: { role: 'student', playerId } });
      if (!result.ok) return result;
      const identity = { role: 'student', sessionId: room.sessionId, playerId } as const;
      ctx.registry.bind(socket, identity, room);
      return { ok: true, data: { playerId, view: room.viewOf(identity) as StudentView } };
    });
  },
};
