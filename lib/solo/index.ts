/**
 * Solo play: a path of levels over the curated lessons, played alone against the model with AI
 * classmates in every other seat. Pure, like the game core it drives: no I/O, time and chance in `ctx`,
 * the engine's answer as data. The server (`server/http/solo.ts`) keeps the runs, calls the engine and
 * stores progress through a `SoloRepository`.
 */
export * from './api';
export * from './explain';
export * from './help';
export * from './levels';
export * from './nickname';
export * from './run';
export * from './view';
