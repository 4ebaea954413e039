/** The projector: joins by code alone and can only watch. */
import type { StageView } from '../../lib/protocol';
import { findRoom, type Handlers } from './context';

export const stageHandlers: Pick<Handlers, 'stage:watch'> = {
  async 'stage:watch'({ socket, payload, ctx }) {
    const found = await findRoom(ctx, socket, payload.code);
    if (!found.ok) return found;
    const { room } = found;
    const view = await room.enqueue(() => {
      const identity = { role: 'stage', sessionId: room.sessionId } as const;
      ctx.registry.bind(socket, identity, room);
      return room.viewOf(identity) as StageView;
    });
    return { ok: true, data: { view } };
  },
};
