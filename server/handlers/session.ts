/** Opening a session, the teacher proving themselves on a new socket, and full resyncs. */
import { ErrorCode, type AnyView, type TeacherView } from '../../lib/protocol';
import { secretMatches } from '../secrets';
import { findRoom, refusal, senderOf, type Handlers } from './context';

export const sessionHandlers: Pick<Handlers, 'session:create' | 'session:resume' | 'state:sync'> = {
  async 'session:create'({ socket, payload, ctx }) {
    const lesson = await ctx.findLesson(payload.lessonId);
    if (!lesson) return refusal({ code: ErrorCode.lessonNotFound, message: `There is no lesson "${payload.lessonId}".` });
    const tooMany = await ctx.door.admitSession(senderOf(socket).address);
    if (tooMany) return refusal(tooMany);
    const created = await ctx.registry.create(lesson, { roomSize: ctx.defaultRoomSize, ...payload.settings });
    if (!created.ok) return created;
    const { room, hostSecret } = created;
    const view = await room.enqueue(() => {
      const identity = { role: 'teacher', sessionId: room.sessionId } as const;
      ctx.registry.bind(socket, identity, room);
      return room.viewOf(identity) as TeacherView;
    });
    ctx.logger.info({ family: 'session', session: room.code, lesson: lesson.id }, 'session opened');
    return { ok: true, data: { sessionId: room.sessionId, code: room.code, hostSecret, view } };
  },

  async 'session:resume'({ socket, payload, ctx }) {
    const found = await findRoom(ctx, socket, payload.code);
    if (!found.ok) return found;
    const { room } = found;
    if (!secretMatches(payload.hostSecret, room.hostSecretHash)) {
      return refusal({ code: ErrorCode.authBadSecret, message: 'That is not the host secret of this session.' });
    }
    const view = await room.enqueue(() => {
      const identity = { role: 'teacher', sessionId: room.sessionId } as const;
      ctx.registry.bind(socket, identity, room);
      return room.viewOf(identity) as TeacherView;
    });
    return { ok: true, data: { view } };
  },

  // Through the queue: the snapshot is taken after every event already accepted for this room.
  async 'state:sync'({ socket, ctx }) {
    const bound = ctx.registry.boundRoom(socket);
    if (!bound) return refusal({ code: ErrorCode.authForbidden, message: 'Open, join or watch a session first.' });
    const { room, identity } = bound;
    const view: AnyView = await room.enqueue(() => room.viewOf(identity));
    return { ok: true, data: { view } };
  },
};
