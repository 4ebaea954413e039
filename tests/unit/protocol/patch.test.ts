/**
 * Patches rebuild the very view the server built: over seeded random sessions, every teacher's and
 * projector's view patched from the one before equals the one after; a patch fits only its base.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, viewFor, type GameState } from '../../../lib/game';
import { applyPatch, diffView, type AnyView } from '../../../lib/protocol';
import { nextStep, randomSettings } from '../../fuzz/sessions';
import { Room } from '../../scenario/harness';
import { oneHeadLesson, testLesson } from '../game/fixtures';

function viewsOf(state: GameState): AnyView[] {
  return [viewFor(state, { kind: 'teacher' }), viewFor(state, { kind: 'stage' }), ...state.players.map((p) => viewFor(state, { kind: 'student', playerId: p.id }))];
}

describe('view patches', () => {
  it('rebuild the next view exactly, over 20 seeded sessions', () => {
    let patches = 0;
    let smaller = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = seededRandom(seed * 31 + 7);
      const { temperature: _fixed, ...settings } = randomSettings(rng);
      const room = new Room(seed % 2 ? testLesson : oneHeadLesson, seed, settings);
      const joined = { count: 0 };
      room.onAccepted = (after, _event, before) => {
        const was = viewsOf(before);
        const now = viewsOf(after);
        now.forEach((view, i) => {
          const base = was[i];
          if (!base || base.kind !== view.kind) return;
          const patch = diffView(base, view);
          if (patch === 'whole') throw new Error('two versions of one view differ in their fields');
          if (patch === null) {
            expect({ ...view, version: 0 }).toEqual({ ...base, version: 0 });
            return;
          }
          patches++;
          if (JSON.stringify(patch).length < JSON.stringify(view).length) smaller++;
          expect(applyPatch(base, patch)).toEqual(view);
          // Only on its own base.
          expect(applyPatch({ ...base, version: base.version - 1 }, patch)).toBeNull();
        });
      };
      for (let i = 0; i < 150; i++) {
        const step = nextStep(rng, room, joined);
        if (typeof step === 'function') step();
        else room.dispatch(step);
      }
    }
    expect(patches).toBeGreaterThan(1000);
    expect(smaller / patches).toBeGreaterThan(0.9);
  });

  it('send a long list inside an object as its changed entries: one teammate locking in is one entry', () => {
    const room = new Room(testLesson, 5);
    const teammates = Array.from({ length: 12 }, (_, i) => ({ playerId: `t${i}`, nickname: `Teammate ${i}`, away: false, lockedIn: false }));
    const before = { ...viewFor(room.state, { kind: 'stage' }), version: 7, seats: [], round: { teammates, touched: false } } as unknown as AnyView;
    const locked = teammates.map((m, i) => (i === 4 ? { ...m, lockedIn: true } : m));
    const after = { ...before, version: 8, round: { teammates: locked, touched: true } } as unknown as AnyView;
    const patch = diffView(before, after);
    if (patch === null || patch === 'whole') throw new Error(`expected a patch, got ${String(patch)}`);
    expect(patch.fields).toEqual({ round: { touched: true } });
    expect(patch.nested).toEqual({ round: { teammates: { 4: locked[4] } } });
    expect(applyPatch(before, patch)).toEqual(after);
  });

  it('say "whole" for views of another kind', () => {
    const room = new Room(testLesson, 1);
    const state = room.state;
    expect(diffView(viewFor(state, { kind: 'teacher' }), viewFor(state, { kind: 'stage' }))).toBe('whole');
  });
});
