/**
 * What keeps a move's cost independent of the class's size: the allocations' shards (a move copies
 * one, shares the rest, and leaves the state before as it was), a team's move naming the members
 * list itself, old snapshots' single record of allocations sharded on restore, and a phone's
 * leaderboard that lists the top and the student's own place rather than the whole class.
 */
import { describe, expect, it } from 'vitest';
import {
  ALLOCATION_SHARDS,
  allocationOf,
  allocationShard,
  eachAllocation,
  viewFor,
  withShardedAllocations,
  type Effect,
  type GameState,
  type PlayerAllocation,
  type ViewChanges,
} from '../../../lib/game';
import { PHONE_LEADERBOARD_RANKS } from '../../../lib/protocol';
import { accept, joinAll, newSession, run, seatOfPlayer, student, teacher, toNegotiation, World } from './fixtures';

const CLASS = 40;

function negotiating(world: World): GameState {
  return toNegotiation(joinAll(newSession(undefined, world, { roomSize: CLASS }), CLASS, world), world);
}

function changesOf(effects: readonly Effect[]): ViewChanges {
  const broadcast = effects.find((e): e is Extract<Effect, { type: 'broadcast' }> => e.type === 'broadcast');
  if (!broadcast) throw new Error('no broadcast');
  return broadcast.changes;
}

/** A valid allocation for the player's seat: everything on its own token. */
function ownTokenOnly(state: GameState, playerId: string): number[] {
  const seat = seatOfPlayer(state, playerId);
  return state.lesson.tokens.map((_, j) => (j === seat.token ? 1 : 0));
}

describe('a class of 40', () => {
  it('moves copy one shard of the allocations and leave the state before as it was', () => {
    const world = new World(3);
    const before = negotiating(world);
    const snapshot = JSON.stringify(before);
    const mover = 'p17';
    const weights = ownTokenOnly(before, mover);
    const after = run(before, { type: 'attention:allocate', round: 1, weights, by: student(mover) }, world);

    expect(JSON.stringify(before)).toBe(snapshot);
    expect(allocationOf(after.round!, mover)).toMatchObject({ weights, touched: true });
    const changed = after.round!.allocations.map((shard, i) => shard !== before.round!.allocations[i]);
    expect(changed.filter(Boolean)).toHaveLength(1);
    expect(changed[allocationShard(mover)]).toBe(true);
    // Every seated student still has exactly one allocation.
    const seated = before.round!.seats.flatMap((s) => s.members).sort();
    expect([...eachAllocation(after.round!.allocations)].map(([id]) => id).sort()).toEqual(seated);
  });

  it('names a team’s own members list when one of them moves', () => {
    const world = new World(3);
    const state = negotiating(world);
    const team = state.round!.seats.find((s) => s.members.length > 1);
    if (!team) throw new Error('a class of 40 on 8 seats has teams');
    const mover = team.members[0];
    const { state: after, effects } = accept(state, { type: 'attention:allocate', round: 1, weights: ownTokenOnly(state, mover), by: student(mover) }, world);
    const changes = changesOf(effects);
    expect(changes.students).toBe(seatOfPlayer(after, mover).members);
    expect(changes).toMatchObject({ teacher: true, stage: true, everyone: false });
  });

  it('restores a snapshot that holds the allocations as one record, sharded and unchanged', () => {
    const world = new World(3);
    const state = negotiating(world);
    const record: Record<string, PlayerAllocation> = Object.fromEntries(eachAllocation(state.round!.allocations));
    const old = JSON.parse(JSON.stringify({ ...state, round: { ...state.round!, allocations: record } })) as GameState;
    const restored = withShardedAllocations(old);
    expect(restored.round!.allocations).toHaveLength(ALLOCATION_SHARDS);
    for (const id of Object.keys(record)) expect(allocationOf(restored.round!, id)).toEqual(record[id]);
    expect(viewFor(restored, { kind: 'teacher' })).toEqual(viewFor(state, { kind: 'teacher' }));
    // A sharded state comes back as it is.
    expect(withShardedAllocations(state)).toBe(state);
  });

  it('gives each phone the top ranks of the leaderboard and its own place, with a tie-mate', () => {
    const world = new World(3);
    let state = negotiating(world);
    // Half the class moves (each a different spread), the rest leave their sliders: many ties.
    for (let i = 1; i <= CLASS; i += 2) {
      const id = `p${i}`;
      const seat = seatOfPlayer(state, id);
      const allowed = state.round!.options.causal ? seat.token + 1 : state.lesson.tokens.length;
      const weights = state.lesson.tokens.map((_, j) => (j === i % allowed ? 1 : 0));
      state = run(state, { type: 'attention:allocate', round: 1, weights, by: student(id) }, world);
    }
    state = run(state, { type: 'teacher:lock', by: teacher }, world);
    state = run(state, { type: 'teacher:reveal', by: teacher }, world);
    const full = viewFor(state, { kind: 'teacher' }).leaderboard;
    expect(full).toHaveLength(CLASS);
    const top = full.filter((e) => e.rank <= PHONE_LEADERBOARD_RANKS);
    expect(top.length).toBeLessThan(CLASS);
    for (let i = 1; i <= CLASS; i++) {
      const id = `p${i}`;
      const view = viewFor(state, { kind: 'student', playerId: id });
      const board = view.leaderboard ?? [];
      const mine = full.find((e) => e.playerId === id)!;
      expect(board.slice(0, top.length)).toEqual(top);
      expect(board).toContainEqual(mine);
      expect(view.me.rank).toBe(mine.rank);
      const tied = full.filter((e) => e.rank === mine.rank).length > 1;
      if (mine.rank > PHONE_LEADERBOARD_RANKS) {
        expect(board.length).toBe(top.length + (tied ? 2 : 1));
        expect(board.filter((e) => e.rank === mine.rank).length > 1).toBe(tied);
      } else {
        expect(board).toEqual(top);
      }
    }
  });
});
