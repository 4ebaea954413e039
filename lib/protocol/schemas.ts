/**
 * A strict schema for every message a client may send. The server parses each one at the door:
 * unknown fields, wrong types and out-of-range numbers are refused with `request/invalid` before
 * anything reaches a room. Limits here are about shape; game rules (is this a distribution? is it
 * your turn?) are the game core's, so their refusals carry meaningful codes.
 */
import { z } from 'zod';
import { ErrorCode, type ProtocolError } from './errors';
import { isJoinCode, JOIN_CODE_LENGTH, normalizeJoinCode } from './join-code';
import { REVEAL_STEP_NAMES } from './views';

/** Lessons have at most 16 tokens (the lesson schema's limit). */
export const MAX_TOKENS = 16;

/** Students a session takes when the teacher sets nothing, and the most it may take. */
export const DEFAULT_ROOM_SIZE = 300;
export const MAX_ROOM_SIZE = 1000;

/** Everything the teacher can set for a session. */
export const settingsSchema = z.strictObject({
  /** Seconds of negotiation before the round locks by itself; null: no timer. */
  timerSeconds: z.number().int().min(10).max(900).nullable(),
  /** Divide scores by √d_k (only where the lesson allows changing it). */
  scale: z.boolean(),
  /** Softmax temperature (only where the lesson allows changing it). */
  temperature: z.number().min(0.1).max(10),
  /** Only earlier tokens may be attended to (only where the lesson allows changing it). */
  causal: z.boolean(),
  /** The projector shows no nicknames. */
  hideNamesOnStage: z.boolean(),
  /** Students may join once the first round has started. */
  lateJoin: z.boolean(),
  /** Earlier, accurate allocations earn up to 100 extra points. */
  speedBonus: z.boolean(),
  /** 0: AI classmates guess at random; 1: they know the model's answer. */
  botSkill: z.number().min(0).max(1),
  /** Students the session takes at most (kicked ones do not count); DEFAULT_ROOM_SIZE when absent. */
  roomSize: z.number().int().min(1).max(MAX_ROOM_SIZE).optional(),
  /** New students wait for the teacher's approval instead of joining at once. */
  lobbyLocked: z.boolean().optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

/** A change to some settings. */
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

const joinCode = z
  .string()
  .max(20)
  .transform(normalizeJoinCode)
  .refine(isJoinCode, `is not a join code (${JOIN_CODE_LENGTH} letters and digits)`);

/** Secrets are minted by the server (base64url); anything else is not one of ours. */
const secret = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'is not a secret this server issued');

const opaqueId = z.string().min(1).max(64);

const roundNumber = z.number().int().min(1);

const stateVersion = z.number().int().min(0);

const empty = z.strictObject({});

/** The schema of each client → server message, by event name. */
export const inboundSchemas = {
  'session:create': z.strictObject({
    lessonId: z.string().min(1).max(80),
    settings: settingsPatchSchema.optional(),
  }),
  'session:resume': z.strictObject({ code: joinCode, hostSecret: secret }),
  'seat:join': z.strictObject({
    code: joinCode,
    nickname: z.string().max(60),
    /** A random id the browser keeps for itself, so a removed student's browser stays out. */
    device: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'is not a device id').optional(),
  }),
  'seat:rejoin': z.strictObject({ code: joinCode, playerSecret: secret, lastVersion: stateVersion.optional() }),
  'stage:watch': z.strictObject({ code: joinCode }),
  'state:sync': z.strictObject({ lastVersion: stateVersion.optional() }),

  'key:request': z.strictObject({ round: roundNumber, token: z.number().int().min(0).max(MAX_TOKENS - 1) }),
  'key:share': z.strictObject({ round: roundNumber, requestId: opaqueId }),
  'attention:allocate': z.strictObject({
    round: roundNumber,
    // Only the shape is checked here; whether it is a distribution is the game's call (its own code).
    weights: z.array(z.number()).min(1).max(MAX_TOKENS),
  }),
  'attention:lock': z.strictObject({ round: roundNumber }),

  'teacher:start-round': empty,
  'teacher:open-negotiation': empty,
  'teacher:pause': empty,
  'teacher:resume': empty,
  'teacher:add-time': z.strictObject({ seconds: z.number().int().min(5).max(600) }),
  'teacher:lock': empty,
  'teacher:reveal': empty,
  'teacher:next-round': empty,
  'teacher:podium': empty,
  'teacher:reveal-keys': empty,
  'teacher:reveal-step': z.strictObject({ step: z.number().int().min(0).max(REVEAL_STEP_NAMES.length - 1) }),
  'teacher:kick': z.strictObject({ playerId: opaqueId }),
  'teacher:readmit': z.strictObject({ playerId: opaqueId }),
  'teacher:admit': z.strictObject({ nickname: z.string().max(60) }),
  'teacher:rename': z.strictObject({ playerId: opaqueId, nickname: z.string().max(60) }),
  'teacher:settings': z.strictObject({ settings: settingsPatchSchema }),
  'teacher:end': empty,
} as const;

/** The name of a message a client may send. */
export type ClientEventName = keyof typeof inboundSchemas;

/** What a client passes to `emit` for this event. */
export type InboundInput<E extends ClientEventName> = z.input<(typeof inboundSchemas)[E]>;

/** What the server holds after parsing (join codes normalized). */
export type InboundPayload<E extends ClientEventName> = z.output<(typeof inboundSchemas)[E]>;

export const CLIENT_EVENT_NAMES = Object.keys(inboundSchemas) as ClientEventName[];

/** Whether a string names a client → server message. */
export function isClientEventName(event: string): event is ClientEventName {
  return Object.prototype.hasOwnProperty.call(inboundSchemas, event);
}

export type ParseResult<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'message';
  return `${where}: ${issue.message}`;
}

/**
 * Parses one inbound message. Refusals use `request/invalid` (bad payload) or
 * `request/unknown-event` (a name this protocol does not have).
 */
export function parseInbound<E extends ClientEventName>(event: E, payload: unknown): ParseResult<InboundPayload<E>>;
export function parseInbound(event: string, payload: unknown): ParseResult<unknown>;
export function parseInbound(event: string, payload: unknown): ParseResult<unknown> {
  if (!isClientEventName(event)) {
    return { ok: false, error: { code: ErrorCode.requestUnknownEvent, message: `"${event}" is not an event of this protocol.` } };
  }
  const parsed = inboundSchemas[event].safeParse(payload);
  if (!parsed.success) {
    return { ok: false, error: { code: ErrorCode.requestInvalid, message: `${event}: ${describe(parsed.error)}` } };
  }
  return { ok: true, data: parsed.data };
}
