/** The teacher's controls. Only the identity check is here; whether a control applies now is the reducer's call. */
import type { Handlers } from './context';
import { versionRequest } from './room-events';

type TeacherEvent = Extract<keyof Handlers, `teacher:${string}`>;

export const teacherHandlers: Pick<Handlers, TeacherEvent> = {
  'teacher:start-round': versionRequest('teacher:start-round'),
  'teacher:open-negotiation': versionRequest('teacher:open-negotiation'),
  'teacher:pause': versionRequest('teacher:pause'),
  'teacher:resume': versionRequest('teacher:resume'),
  'teacher:add-time': versionRequest('teacher:add-time'),
  'teacher:lock': versionRequest('teacher:lock'),
  'teacher:reveal': versionRequest('teacher:reveal'),
  'teacher:next-round': versionRequest('teacher:next-round'),
  'teacher:podium': versionRequest('teacher:podium'),
  'teacher:reveal-keys': versionRequest('teacher:reveal-keys'),
  'teacher:reveal-step': versionRequest('teacher:reveal-step'),
  'teacher:kick': versionRequest('teacher:kick'),
  'teacher:readmit': versionRequest('teacher:readmit'),
  'teacher:admit': versionRequest('teacher:admit'),
  'teacher:rename': versionRequest('teacher:rename'),
  'teacher:settings': versionRequest('teacher:settings'),
  'teacher:end': versionRequest('teacher:end'),
};
