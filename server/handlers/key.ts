/** The negotiation: asking another seat for its key card, and sharing one's own. */
import type { Handlers } from './context';
import { applyRoomEvent, versionRequest } from './room-events';

export const keyHandlers: Pick<Handlers, 'key:request' | 'key:share'> = {
  async 'key:request'(request) {
    const result = await applyRoomEvent(request.ctx, request, 'key:request');
    if (!result.ok) return result;
    // The reducer appends the new request; its id is how the asker recognises the answer.
    const created = result.state.round?.keyRequests.at(-1);
    if (!created) throw new Error('key:request was accepted but no request was recorded');
    return { ok: true, data: { requestId: created.id, version: result.state.version } };
  },
  'key:share': versionRequest('key:share'),
};
