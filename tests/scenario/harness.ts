/**
 * A room as the server would run it, in memory: one state, a fake clock, a seeded chance, timers that
 * fire when the clock passes them, and the engine played by the float64 reference. Tests drive it
 * through events only, as handlers would.
 */
import { attendLayer } from '../../lib/attention/reference';
import {
  createSession,
  currentResults,
  invariantViolations,
  reduce,
  seededRandom,
  viewFor,
  type Effect,
  type GameEvent,
  type GameState,
  type ReduceResult,
} from '../../lib/game';
import type { Lesson } from '../../lib/lessons/schema';
import type { ServerNotice, SettingsPatch } from '../../lib/protocol';

export interface DeliveredNotice {
  playerIds: string[];
  notice: ServerNotice;
}

export class Room {
  state: GameState;
  now = 1_700_000_000_000;
  readonly random: () => number;
  readonly timers = new Map<string, { at: number; event: GameEvent }>();
  readonly notices: DeliveredNotice[] = [];
  readonly disconnected: string[] = [];
  /** Engine requests not answered yet (when `autoEngine` is off). */
  readonly pendingEngine: { round: number; options: { scale: boolean; temperature: number; causal: boolean } }[] = [];
  autoEngine = true;
  persists = 0;
  broadcasts = 0;
  /** Called after every accepted event with the state before, the new one and the reducer's effects. */
  onAccepted: (state: GameState, event: GameEvent, before: GameState, effects: readonly Effect[]) => void = () => {};

  constructor(lesson: Lesson, seed: number, settings: SettingsPatch = {}) {
    this.random = seededRandom(seed);
    const created = createSession({ sessionId: `session-${seed}`, lesson, settings }, this.ctx);
    if (!created.ok) throw new Error(created.error.message);
    this.state = created.state;
  }

  get ctx() {
    return { now: this.now, random: this.random };
  }

  /** Applies an event the way the room's queue would, running the effects of an accepted one. */
  dispatch(event: GameEvent): ReduceResult {
    const result = reduce(this.state, event, this.ctx);
    if (!result.ok) return result;
    const before = this.state;
    this.state = result.state;
    this.onAccepted(this.state, event, before, result.effects);
    const followUps: GameEvent[] = [];
    for (const effect of result.effects) this.run(effect, followUps);
    // The engine answers after this event's effects, through the same queue, as the server's would.
    for (const next of followUps) this.dispatch(next);
    return result;
  }

  /** Like dispatch, but the event must be accepted. */
  must(event: GameEvent): GameState {
    const result = this.dispatch(event);
    if (!result.ok) throw new Error(`${event.type} refused: ${result.error.code} (${result.error.message})`);
    return this.state;
  }

  /** Moves the clock on, firing due timers in time order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [key, timer] = due;
      this.timers.delete(key);
      this.now = Math.max(this.now, timer.at);
      // A refused timer event is what a server logs and drops.
      this.dispatch(timer.event);
    }
    this.now = until;
  }

  /** Answers the oldest engine request (when `autoEngine` is off). */
  answerEngine(): ReduceResult | null {
    const request = this.pendingEngine.shift();
    return request ? this.dispatch(this.truthEvent(request.round, request.options)) : null;
  }

  truthEvent(round: number, options: { scale: boolean; temperature: number; causal: boolean }): GameEvent {
    const layer = attendLayer(this.state.cards, this.state.lesson.wO, options);
    return {
      type: 'attention:computed',
      round,
      attention: { heads: layer.heads.map((h) => ({ weights: h.weights, outputs: h.outputs })) },
      by: { role: 'system' },
    };
  }

  invariantViolations(): string[] {
    return invariantViolations(this.state);
  }

  revealed(): boolean {
    return currentResults(this.state) !== null;
  }

  studentView(playerId: string) {
    return viewFor(this.state, { kind: 'student', playerId });
  }

  private run(effect: Effect, followUps: GameEvent[]): void {
    switch (effect.type) {
      case 'persist':
        this.persists++;
        // A snapshot must survive JSON: another process restores it from there.
        if (JSON.stringify(JSON.parse(JSON.stringify(this.state))) !== JSON.stringify(this.state)) throw new Error('state is not plain JSON');
        break;
      case 'broadcast':
        this.broadcasts++;
        break;
      case 'schedule-timer':
        this.timers.set(effect.key, { at: effect.at, event: effect.event });
        break;
      case 'cancel-timer':
        this.timers.delete(effect.key);
        break;
      case 'notify':
        this.notices.push({ playerIds: effect.playerIds, notice: effect.notice });
        break;
      case 'disconnect-player':
        this.disconnected.push(effect.playerId);
        break;
      case 'compute-attention':
        if (this.autoEngine) followUps.push(this.truthEvent(effect.round, effect.options));
        else this.pendingEngine.push({ round: effect.round, options: effect.options });
        break;
    }
  }
}
