/**
 * `npm run fuzz [-- --events 100000] [--seed 1] [--concurrency 16]`: the protocol fuzzer's long run
 * against a real server on loopback, the door wide open so every handler sees every kind of garbage.
 * Prints the tally and a normal round's scores afterwards; exits 1 on any crash, internal error,
 * logged failure or broken invariant.
 */
import { parseArgs } from 'node:util';
import { bootArena, cpuEngine } from '../helpers/sockets';
import { playNormalRound } from './normal-round';
import { fuzzProtocol } from './protocol-fuzzer';
import { OPEN_DOOR } from './open-door';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '16' },
  },
});

const events = Number(values.events);
const seed = Number(values.seed);
const concurrency = Number(values.concurrency);

let crashes = 0;
process.on('uncaughtException', (error) => {
  crashes++;
  console.error('uncaught exception:', error);
});
process.on('unhandledRejection', (error) => {
  crashes++;
  console.error('unhandled rejection:', error);
});

const engine = await cpuEngine();
const arena = await bootArena({ engine, seed, limits: OPEN_DOOR });
const started = performance.now();
let lastReport = started;
const result = await fuzzProtocol(arena, {
  seed,
  events,
  concurrency,
  onProgress: (done) => {
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      console.error(`${done} events…`);
    }
  },
});
const seconds = (performance.now() - started) / 1000;
const scores = await playNormalRound(arena);
await arena.close();
engine.dispose();

console.log(
  JSON.stringify(
    {
      seed,
      events: result.events,
      seconds: Math.round(seconds),
      answered: result.answered,
      crashes,
      internalErrors: result.internalErrors,
      failuresLogged: result.failuresLogged.length,
      invariantBreaks: result.invariantBreaks.length,
      disconnects: result.disconnects,
      normalRoundScores: scores,
      refusals: result.refusals,
    },
    null,
    2,
  ),
);
for (const line of [...result.failuresLogged, ...result.invariantBreaks].slice(0, 20)) console.error(line);
const bad = crashes + result.internalErrors + result.failuresLogged.length + result.invariantBreaks.length;
process.exit(bad > 0 ? 1 : 0);
