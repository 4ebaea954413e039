import { describe, expect, it } from 'vitest';
import {
  CLIENT_EVENT_NAMES,
  ErrorCode,
  inboundSchemas,
  isClientEventName,
  parseInbound,
  settingsPatchSchema,
  type ClientEventName,
} from '../../../lib/protocol';

const secret = 'abcdefghijklmnop_QRST-123';

/** A valid payload for every client → server event. */
const valid: { [E in ClientEventName]: unknown } = {
  'session:create': { lessonId: 'the-cat-sat', settings: { timerSeconds: 60, botSkill: 0.5 } },
  'session:resume': { code: 'ACEFHJ', hostSecret: secret },
  'seat:join': { code: 'acefhj', nickname: 'Ada' },
  'seat:rejoin': { code: 'ACEFHJ', playerSecret: secret, lastVersion: 12 },
  'stage:watch': { code: 'ACE-FHJ' },
  'state:sync': {},
  'key:request': { round: 1, token: 3 },
  'key:share': { round: 1, requestId: 'k7' },
  'attention:allocate': { round: 2, weights: [0.25, 0.75, 0] },
  'attention:lock': { round: 2 },
  'teacher:start-round': {},
  'teacher:open-negotiation': {},
  'teacher:pause': {},
  'teacher:resume': {},
  'teacher:add-time': { seconds: 30 },
  'teacher:lock': {},
  'teacher:reveal': {},
  'teacher:next-round': {},
  'teacher:podium': {},
  'teacher:reveal-keys': {},
  'teacher:reveal-step': { step: 2 },
  'teacher:kick': { playerId: 'player-1' },
  'teacher:readmit': { playerId: 'player-1' },
  'teacher:admit': { nickname: 'Sam' },
  'teacher:rename': { playerId: 'player-1', nickname: 'Sam' },
  'teacher:settings': { settings: { hideNamesOnStage: true } },
  'teacher:end': {},
};

describe('inbound schemas', () => {
  it('exist for every event and accept a well-formed payload', () => {
    expect(CLIENT_EVENT_NAMES.sort()).toEqual(Object.keys(valid).sort());
    for (const event of CLIENT_EVENT_NAMES) {
      const parsed = parseInbound(event, valid[event]);
      expect(parsed.ok, `${event}: ${parsed.ok ? '' : parsed.error.message}`).toBe(true);
    }
  });

  it('refuse an unknown field on every event', () => {
    for (const event of CLIENT_EVENT_NAMES) {
      const parsed = parseInbound(event, { ...(valid[event] as object), sneaky: true });
      expect(parsed.ok, event).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe(ErrorCode.requestInvalid);
    }
  });

  it('refuse payloads that are not objects', () => {
    for (const event of CLIENT_EVENT_NAMES) {
      for (const payload of [undefined, null, 'x', 3, []]) expect(parseInbound(event, payload).ok, event).toBe(false);
    }
  });

  it('normalize join codes and refuse look-alike characters', () => {
    const parsed = parseInbound('seat:join', { code: ' ace-fhj ', nickname: 'Ada' });
    expect(parsed.ok && parsed.data.code).toBe('ACEFHJ');
    expect(parseInbound('seat:join', { code: 'ACEFH0', nickname: 'Ada' }).ok).toBe(false);
    const short = parseInbound('stage:watch', { code: 'ACEF' });
    expect(short.ok).toBe(false);
    // The refusal describes the codes handed out now, not the 6-character ones of old sessions.
    expect(!short.ok && short.error.message).toMatch(/8 letters and digits/);
  });

  it('check shapes, not game rules: a non-distribution passes for the game to refuse with its own code', () => {
    expect(parseInbound('attention:allocate', { round: 1, weights: [0.9, 0.9] }).ok).toBe(true);
    expect(parseInbound('attention:allocate', { round: 1, weights: [] }).ok).toBe(false);
    expect(parseInbound('attention:allocate', { round: 1, weights: new Array(17).fill(0) }).ok).toBe(false);
    expect(parseInbound('attention:allocate', { round: 1, weights: ['0.5', 0.5] }).ok).toBe(false);
    expect(parseInbound('attention:allocate', { round: 1, weights: [Infinity, 0] }).ok).toBe(false);
    expect(parseInbound('attention:allocate', { round: 0, weights: [1] }).ok).toBe(false);
    expect(parseInbound('attention:allocate', { round: 1.5, weights: [1] }).ok).toBe(false);
  });

  it('refuse secrets the server did not mint and out-of-range settings', () => {
    expect(parseInbound('seat:rejoin', { code: 'ACEFHJ', playerSecret: 'short' }).ok).toBe(false);
    expect(parseInbound('seat:rejoin', { code: 'ACEFHJ', playerSecret: `${'a'.repeat(20)}!` }).ok).toBe(false);
    for (const settings of [{ botSkill: 2 }, { timerSeconds: 5 }, { temperature: 0 }, { lateJoin: 'yes' }, { colour: 'red' }]) {
      expect(settingsPatchSchema.safeParse(settings).success, JSON.stringify(settings)).toBe(false);
      expect(parseInbound('teacher:settings', { settings }).ok).toBe(false);
    }
    expect(parseInbound('teacher:settings', { settings: { timerSeconds: null } }).ok).toBe(true);
    expect(parseInbound('teacher:add-time', { seconds: 0 }).ok).toBe(false);
  });

  it('answer an unknown event with its own code, and name the field that is wrong', () => {
    const unknown = parseInbound('attention:cheat', {});
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.code).toBe(ErrorCode.requestUnknownEvent);
    expect(isClientEventName('toString')).toBe(false);
    expect(isClientEventName('seat:join')).toBe(true);
    const bad = parseInbound('key:request', { round: 1, token: -1 });
    expect(!bad.ok && bad.error.message).toMatch(/^key:request: token: /);
  });

  it('are strict objects all the way down', () => {
    for (const event of CLIENT_EVENT_NAMES) expect(inboundSchemas[event].def.type, event).toBe('object');
  });
});
