/**
 * Where a round keeps its students' allocations. A class of a thousand moves two thousand sliders a
 * second, and a state is never changed in place: one record keyed by every player would be copied
 * whole on every move. The allocations are spread instead over a fixed number of shards by a hash of
 * the player id; a move copies the list of shards and the one shard it changes, and shares the rest
 * with the state before. Everything stays plain JSON, so a snapshot stores and restores it as it is.
 */
import type { GameState, PlayerAllocation, PlayerId, Round } from './types';

/** Shards per round: with a thousand students, a move copies 64 references and a shard of about 16. */
export const ALLOCATION_SHARDS = 64;

/** A round's allocations: shard `allocationShard(id)` holds player `id`'s. */
export type RoundAllocations = Record<PlayerId, PlayerAllocation>[];

/**
 * The shard of a player id: FNV-1a over its UTF-16 code units. Stored snapshots depend on it, so it
 * must never change (a new hash would need a migration of the saved rounds).
 */
export function allocationShard(playerId: PlayerId): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < playerId.length; i++) {
    hash ^= playerId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % ALLOCATION_SHARDS;
}

/** No allocation yet. */
export function emptyAllocations(): RoundAllocations {
  return Array.from({ length: ALLOCATION_SHARDS }, () => ({}));
}

/** A player's allocation this round, if they hold one. */
export function allocationOf(round: Pick<Round, 'allocations'>, playerId: PlayerId): PlayerAllocation | undefined {
  const shard = round.allocations[allocationShard(playerId)];
  return shard && Object.hasOwn(shard, playerId) ? shard[playerId] : undefined;
}

/** The allocations with `playerId`'s set to `allocation`: the other shards are shared, never copied. */
export function withAllocation(allocations: RoundAllocations, playerId: PlayerId, allocation: PlayerAllocation): RoundAllocations {
  const index = allocationShard(playerId);
  const next = [...allocations];
  next[index] = { ...allocations[index], [playerId]: allocation };
  return next;
}

/** Every allocation, with its player (shard by shard, so in no meaningful order). */
export function* eachAllocation(allocations: RoundAllocations): Generator<[PlayerId, PlayerAllocation]> {
  for (const shard of allocations) for (const id of Object.keys(shard)) yield [id, shard[id]];
}

/**
 * Allocations as a snapshot may hold them: sharded as above, or one record keyed by player (what
 * snapshots saved before the shards hold), which is sharded here.
 */
export function restoredAllocations(stored: RoundAllocations | Record<PlayerId, PlayerAllocation>): RoundAllocations {
  if (Array.isArray(stored) && stored.length === ALLOCATION_SHARDS) return stored;
  const entries = Array.isArray(stored) ? [...eachAllocation(stored)] : Object.entries(stored);
  const allocations = emptyAllocations();
  for (const [id, allocation] of entries) allocations[allocationShard(id)][id] = allocation;
  return allocations;
}

/** A state as a snapshot may hold it, with its round's allocations sharded (see `restoredAllocations`). */
export function withShardedAllocations(state: GameState): GameState {
  const round = state.round;
  if (!round) return state;
  const allocations = restoredAllocations(round.allocations);
  return allocations === round.allocations ? state : { ...state, round: { ...round, allocations } };
}
