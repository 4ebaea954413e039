/**
 * The browser's side of the game: one `ArenaClient` per page identity owns the socket, reconnects,
 * re-proves who it is and resyncs; storage helpers remember secrets per session; pure helpers for
 * views and allocations. React pages use `useArena` from `lib/client/react`.
 */
export * from './allocation';
export * from './arena-client';
export * from './connection';
export * from './errors';
export * from './names';
export * from './registry';
export * from './storage';
export * from './transport';
export * from './views';
