/**
 * The socket event maps, shared by server (`new Server<ClientToServerEvents, ServerToClientEvents>`)
 * and client (`io<ServerToClientEvents, ClientToServerEvents>`). Events are named `family:verb`.
 *
 * Every client → server message is a request answered through socket.io's acknowledgement with an
 * `Ack`: `{ ok: true, data }` or `{ ok: false, error: { code, message } }`. Identity comes from the
 * socket (bound by `session:create`/`session:resume`, `seat:join`/`seat:rejoin` or `stage:watch`), so
 * later messages carry no secret.
 */
import type { Ack } from './errors';
import type { ClientEventName, InboundInput } from './schemas';
import type { AnyView, StageView, StudentView, TeacherView } from './views';
import type { ViewPatch } from './patch';

/** What each request's acknowledgement carries when it succeeds. */
export interface ResponseDataMap {
  /** The host secret proves the teacher on `session:resume`; keep it in the teacher's browser. */
  'session:create': { sessionId: string; code: string; hostSecret: string; view: TeacherView };
  'session:resume': { view: TeacherView };
  /** The player secret returns the same seat after a reload; keep it in localStorage. */
  'seat:join': { playerId: string; playerSecret: string; view: StudentView };
  'seat:rejoin': { playerId: string; view: StudentView };
  'stage:watch': { view: StageView };
  /** A full snapshot for a client that suspects it missed an update. */
  'state:sync': { view: AnyView };

  'key:request': { requestId: string; version: number };
  'key:share': { version: number };
  'attention:allocate': { version: number };
  'attention:lock': { version: number };

  'teacher:start-round': { version: number };
  'teacher:open-negotiation': { version: number };
  'teacher:pause': { version: number };
  'teacher:resume': { version: number };
  'teacher:add-time': { version: number };
  'teacher:lock': { version: number };
  'teacher:reveal': { version: number };
  'teacher:next-round': { version: number };
  'teacher:podium': { version: number };
  'teacher:reveal-keys': { version: number };
  'teacher:reveal-step': { version: number };
  'teacher:kick': { version: number };
  'teacher:readmit': { version: number };
  'teacher:admit': { version: number };
  'teacher:rename': { version: number };
  'teacher:settings': { version: number };
  'teacher:end': { version: number };
}

// Every inbound schema has an answer type and every answer type has a schema.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const _responsesMatchSchemas: SameKeys<ResponseDataMap, Record<ClientEventName, unknown>> = true;
void _responsesMatchSchemas;

/** The data a successful answer to `E` carries. */
export type ResponseData<E extends ClientEventName> = ResponseDataMap[E];

/** The acknowledgement callback for `E`. */
export type AckCallback<E extends ClientEventName> = (response: Ack<ResponseData<E>>) => void;

/** Client → server: each event takes its payload and an acknowledgement callback. */
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: InboundInput<E>, ack: AckCallback<E>) => void;
};

/** Told to the students who own a seat whose key was asked for. */
export interface KeyRequestedNotice {
  requestId: string;
  round: number;
  head: number;
  fromToken: number;
  fromNicknames: string[];
}

/** Told to the students who asked, when their key request was answered. */
export interface KeySharedNotice {
  requestId: string;
  round: number;
  head: number;
  token: number;
}

/** Told to a kicked student's sockets just before they are closed. */
export interface KickedNotice {
  message: string;
}

/** Server → client. */
export interface ServerToClientEvents {
  /** The recipient's whole view; drop one whose `version` is older than the one shown. */
  'state:update': (view: AnyView) => void;
  /**
   * The recipient's view as a patch against the version it holds
   * (`applyPatch`); when that is not the view it holds, it asks `state:sync` for the whole view.
   */
  'state:patch': (patch: ViewPatch) => void;
  'key:requested': (notice: KeyRequestedNotice) => void;
  'key:shared': (notice: KeySharedNotice) => void;
  'player:kicked': (notice: KickedNotice) => void;
}

export type ServerEventName = keyof ServerToClientEvents;

/** A one-off message for some students (the game core asks for them through a `notify` effect). */
export type ServerNotice =
  | { event: 'key:requested'; data: KeyRequestedNotice }
  | { event: 'key:shared'; data: KeySharedNotice }
  | { event: 'player:kicked'; data: KickedNotice };

/** Socket.io room names, so every handler spells them the same way. */
export const roomNames = {
  /** Every socket of a session (teacher, students, stage). */
  session: (sessionId: string) => `session:${sessionId}`,
  stage: (sessionId: string) => `stage:${sessionId}`,
  teacher: (sessionId: string) => `teacher:${sessionId}`,
  /** All sockets of one student (several tabs, a reconnect in flight). */
  player: (sessionId: string, playerId: string) => `player:${sessionId}:${playerId}`,
} as const;
