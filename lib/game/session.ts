/** A new session, and the settings rules shared with `teacher:settings`. */
import { computeCards } from '../lessons/cards';
import type { Lesson } from '../lessons/schema';
import { ErrorCode, type ProtocolError, type Settings, type SettingsPatch } from '../protocol';
import { generateJoinCode } from './code';
import type { Effect, GameContext, GameState } from './types';

/** A session's settings before the teacher changes any: the lesson's flags, a 90-second timer, no speed bonus. */
export function defaultSettings(lesson: Pick<Lesson, 'flags'>): Settings {
  return {
    timerSeconds: 90,
    scale: lesson.flags.scale,
    temperature: lesson.flags.temperature,
    causal: lesson.flags.causal,
    hideNamesOnStage: false,
    lateJoin: true,
    speedBonus: false,
    botSkill: 0.6,
  };
}

/**
 * The settings after a change, or why the change is refused: scaling, temperature and the causal mask
 * only move where the lesson says they may (a lesson about the mask is no lesson without it).
 */
export function applySettingsPatch(lesson: Lesson, current: Settings, patch: SettingsPatch): Settings | ProtocolError {
  const locked: string[] = [];
  if (patch.scale !== undefined && patch.scale !== lesson.flags.scale && !lesson.flags.scaleAdjustable) locked.push('scaling');
  if (patch.temperature !== undefined && patch.temperature !== lesson.flags.temperature && !lesson.flags.temperatureAdjustable) {
    locked.push('temperature');
  }
  if (patch.causal !== undefined && patch.causal !== lesson.flags.causal && !lesson.flags.causalAdjustable) locked.push('the causal mask');
  if (locked.length > 0) {
    return { code: ErrorCode.settingsNotAdjustable, message: `This lesson fixes ${locked.join(' and ')}.` };
  }
  const next: Settings = { ...current };
  for (const key of Object.keys(patch) as (keyof SettingsPatch)[]) {
    if (patch[key] !== undefined) Object.assign(next, { [key]: patch[key] });
  }
  return next;
}

export interface CreateSessionInput {
  sessionId: string;
  /** Parsed with `parseLesson`; the session keeps its own copy. */
  lesson: Lesson;
  /** A code the registry knows to be free; drawn from `ctx.random` when absent. */
  code?: string;
  settings?: SettingsPatch;
}

export type CreateSessionResult = { ok: true; state: GameState; effects: Effect[] } | { ok: false; error: ProtocolError };

/** A session in its lobby. */
export function createSession(input: CreateSessionInput, ctx: GameContext): CreateSessionResult {
  const lesson = structuredClone(input.lesson);
  const settings = applySettingsPatch(lesson, defaultSettings(lesson), input.settings ?? {});
  if ('code' in settings) return { ok: false, error: settings };
  const state: GameState = {
    sessionId: input.sessionId,
    code: input.code ?? generateJoinCode(ctx.random),
    version: 1,
    createdAt: ctx.now,
    lesson,
    cards: computeCards(lesson),
    settings,
    phase: 'lobby',
    paused: false,
    round: null,
    history: [],
    players: [],
    nextId: 1,
    server: { truth: null },
  };
  return { ok: true, state, effects: [{ type: 'persist', reason: 'created' }, { type: 'broadcast', changes: { teacher: true, stage: true, everyone: true, students: [] } }] };
}
