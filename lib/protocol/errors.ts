/**
 * Every refusal the server can send, as namespaced codes. Clients switch on the code; the message is
 * for people. The game core returns the same codes, so a handler passes a refusal through untouched.
 */

export const ErrorCode = {
  sessionNotFound: 'session/not-found',
  sessionEnded: 'session/ended',
  sessionPaused: 'session/paused',
  sessionNotPaused: 'session/not-paused',

  roundWrongPhase: 'round/wrong-phase',
  roundLocked: 'round/locked',
  roundStale: 'round/stale',
  roundNoTimer: 'round/no-timer',

  seatNotYours: 'seat/not-yours',
  seatNotSeated: 'seat/not-seated',

  playerNotFound: 'player/not-found',
  playerAlreadyJoined: 'player/already-joined',
  playerAlreadyKicked: 'player/already-kicked',
  playerNotKicked: 'player/not-kicked',

  authNotHost: 'auth/not-host',
  authKicked: 'auth/kicked',
  authBadSecret: 'auth/bad-secret',
  authForbidden: 'auth/forbidden',

  requestInvalid: 'request/invalid',
  requestUnknownEvent: 'request/unknown-event',
  protocolOutdated: 'protocol/outdated',
  protocolUnsupported: 'protocol/unsupported',

  attentionCausalViolation: 'attention/causal-violation',
  attentionNotADistribution: 'attention/not-a-distribution',
  attentionAlreadyLocked: 'attention/already-locked',
  attentionWrongShape: 'attention/wrong-shape',

  keyAlreadyKnown: 'key/already-known',
  keyAlreadyRequested: 'key/already-requested',
  keyRequestNotFound: 'key/request-not-found',
  keyAlreadyShared: 'key/already-shared',
  keysAlreadyRevealed: 'key/already-revealed',

  nicknameTaken: 'nickname/taken',
  nicknameRejected: 'nickname/rejected',

  joinLateClosed: 'join/late-closed',
  joinRoomFull: 'join/room-full',
  joinLobbyLocked: 'join/lobby-locked',

  /** Over a budget of the door (messages, joins, sessions, wrong codes): wait, then try again. */
  rateLimited: 'rate/limited',

  settingsNotAdjustable: 'settings/not-adjustable',

  timerStale: 'timer/stale',
  presenceStale: 'presence/stale',

  lessonNotFound: 'lesson/not-found',
  serverInternal: 'server/internal',
} as const;

/** One of the codes above. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every code, for exhaustive checks and schema enums. */
export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode);

/** A refusal: what went wrong (for code) and in words (for people). */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

/** Every request is answered through socket.io's acknowledgement with one of these. */
/**
 * The answer to every request. `serverTime` is the server's clock (ms since the epoch) when it answered:
 * a phone whose own clock is off uses it to show the round's countdown right.
 */
export type Ack<T> = ({ ok: true; data: T } | { ok: false; error: ProtocolError }) & { serverTime?: number };

/** A successful answer. */
export function ackOk<T>(data: T): Ack<T> {
  return { ok: true, data };
}

/** A refusal answer. */
export function ackError<T = never>(code: ErrorCode, message: string): Ack<T> {
  return { ok: false, error: { code, message } };
}

/** Whether a string received from the other end is a code this version knows. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
