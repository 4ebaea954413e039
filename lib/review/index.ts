/**
 * After class: the review of a session (leaderboard, round-by-round class against model, per-student
 * reports), trimmed per reader, and its CSV export. Pure: no I/O, no clock.
 */
export * from './build';
export * from './csv';
export * from './types';
