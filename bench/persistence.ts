/**
 * `npm run bench:persistence`: how long one save of a 300-student class takes, on the embedded PGlite
 * (on disk, as `npm start` uses it) and on the PostgreSQL server (skipped when unreachable).
 *
 * Each sample is a fresh session played by the game core up to the write being timed, so every write
 * inserts what a real one would insert (300 players on the roster save, 300 final allocations at the
 * lock, 300 results at the reveal) rather than finding its rows already there. The last row shows how
 * the snapshot (and so every save) grows with the rounds' history. The median (and the
 * slowest of the middle 80 %) of SAMPLES sessions is printed per write and database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { attendLayer } from '../lib/attention/reference';
import { createSession, reduce, seededRandom, type GameEvent, type GameState, type PersistReason } from '../lib/game';
import { getLesson } from '../lib/lessons/curated';
import { openDatabase, type Database } from '../server/persistence/db';
import { migrate } from '../server/persistence/migrate';
import { PrismaSessionRepository, saveRows } from '../server/persistence/prisma-repository';
import type { SessionRecord } from '../server/persistence/repository';
import { hashSecret } from '../server/secrets';
import { databaseTargets } from '../tests/helpers/databases';

const PLAYERS = 300;
const SAMPLES = 15;
const WARMUP = 2;
const lesson = getLesson('the-cat-sat');
if (!lesson) throw new Error('the cat lesson is missing');

/** A write to time, and how the class gets there from the write before it. */
interface Write {
  label: string;
  reason: PersistReason;
  advance: (state: GameState, play: (state: GameState, events: GameEvent[]) => GameState) => GameState;
}

const teacher = { role: 'teacher' } as const;
const student = (playerId: string) => ({ role: 'student', playerId }) as const;

/** Half the class moves a slider in `round`, the first 30 lock in. */
function studentMoves(state: GameState, round: number): GameEvent[] {
  const events: GameEvent[] = [];
  for (let i = 0; i < PLAYERS / 2; i++) {
    const seat = state.round!.seats.find((s) => s.members.includes(`p${i}`))!;
    const weights = state.lesson.tokens.map((_, t) => (t === seat.token ? 0.5 : 0.5 / (state.lesson.tokens.length - 1)));
    events.push({ type: 'attention:allocate', round, weights, by: student(`p${i}`) });
    if (i < 30) events.push({ type: 'attention:lock', round, by: student(`p${i}`) });
  }
  return events;
}

const WRITES: Write[] = [
  {
    label: `roster (${PLAYERS} joined)`,
    reason: 'roster',
    advance: (state, play) =>
      play(state, Array.from({ length: PLAYERS }, (_, i): GameEvent => ({ type: 'seat:join', nickname: `student ${i}`, by: student(`p${i}`) }))),
  },
  { label: 'phase: round 1 starts', reason: 'phase', advance: (state, play) => play(state, [{ type: 'teacher:start-round', by: teacher }]) },
  {
    label: 'student moves (150 moved, 30 locked in)',
    reason: 'phase',
    advance: (state, play) => {
      const negotiating = play(state, [{ type: 'teacher:open-negotiation', by: teacher }]);
      return play(negotiating, studentMoves(negotiating, 1));
    },
  },
  { label: 'phase: lock (final allocations)', reason: 'phase', advance: (state, play) => play(state, [{ type: 'teacher:lock', by: teacher }]) },
  { label: 'phase: reveal (results, totals)', reason: 'results', advance: (state, play) => play(state, [{ type: 'teacher:reveal', by: teacher }]) },
  {
    label: 'student moves in round 5 (4 rounds of history)',
    reason: 'phase',
    advance: (state, play) => {
      for (let round = 2; round <= 5; round++) {
        state = play(state, [
          { type: 'teacher:next-round', by: teacher },
          { type: 'teacher:open-negotiation', by: teacher },
        ]);
        state = play(state, studentMoves(state, round));
        if (round < 5) state = play(state, [{ type: 'teacher:lock', by: teacher }, { type: 'teacher:reveal', by: teacher }]);
      }
      return state;
    },
  },
];

/** Applies events the way a room does, answering the engine's requests with the reference. */
function play(state: GameState, events: GameEvent[], now: () => number, random: () => number): GameState {
  for (const event of events) {
    const result = reduce(state, event, { now: now(), random });
    if (!result.ok) throw new Error(`${event.type} refused: ${result.error.code}`);
    state = result.state;
    for (const effect of result.effects) {
      if (effect.type !== 'compute-attention') continue;
      const layer = attendLayer(state.cards, state.lesson.wO, effect.options);
      state = play(state, [{ type: 'attention:computed', round: effect.round, attention: { heads: layer.heads.map((h) => ({ weights: h.weights, outputs: h.outputs })) }, by: { role: 'system' } }], now, random);
    }
  }
  return state;
}

/** One class's record just before each write. */
function classRecords(sample: number): SessionRecord[] {
  let time = 1_700_000_000_000 + sample * 3_600_000;
  const now = () => (time += 50);
  const random = seededRandom(sample + 1);
  const created = createSession({ sessionId: `bench-${sample}-${Date.now().toString(36)}`, lesson: lesson!, settings: { timerSeconds: 600 } }, { now: now(), random });
  if (!created.ok) throw new Error(created.error.message);
  let state = created.state;
  const hashes: Record<string, string> = {};
  for (let i = 0; i < PLAYERS; i++) hashes[`p${i}`] = hashSecret(`secret ${sample} ${i} ${state.sessionId}`);
  const records: SessionRecord[] = [];
  for (const write of WRITES) {
    state = write.advance(state, (from, events) => play(from, events, now, random));
    records.push({ state, hostSecretHash: hashSecret(`host ${state.sessionId}`), playerSecretHashes: hashes });
  }
  return records;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

async function benchDatabase(db: Database): Promise<number[][]> {
  await migrate(db);
  const repository = new PrismaSessionRepository(db.prisma);
  const samples: number[][] = WRITES.map(() => []);
  for (let sample = 0; sample < WARMUP + SAMPLES; sample++) {
    const records = classRecords(sample);
    for (const [i, record] of records.entries()) {
      const t0 = performance.now();
      await repository.saveSession(record, WRITES[i].reason);
      const ms = performance.now() - t0;
      if (sample >= WARMUP) samples[i].push(ms);
    }
  }
  return samples;
}

async function main(): Promise<void> {
  const example = classRecords(0);
  const columns: { name: string; samples: number[][] | null; note: string }[] = [];

  const dataDir = mkdtempSync(path.join(tmpdir(), 'arena-bench-'));
  try {
    const pglite = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    try {
      columns.push({ name: 'PGlite (disk)', samples: await benchDatabase(pglite), note: '' });
    } finally {
      await pglite.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const postgres = (await databaseTargets()).find((t) => t.kind === 'postgres')!;
  if (postgres.skip) {
    columns.push({ name: 'PostgreSQL', samples: null, note: postgres.skip });
  } else {
    const t = await postgres.open('bench');
    try {
      columns.push({ name: 'PostgreSQL', samples: await benchDatabase(t.db), note: '' });
    } finally {
      await t.close();
    }
  }

  console.log(`\nOne save of a ${PLAYERS}-student class ("${lesson!.id}"), one SQL statement each; median (p90) of ${SAMPLES} sessions, ms`);
  console.log(`(load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs)\n`);
  const header = ['write', 'rows written', 'snapshot', ...columns.map((c) => c.name)];
  const rows = WRITES.map((write, i) => {
    const rowsOf = saveRows(example[i]);
    const written = 1 + rowsOf.players.length + rowsOf.rounds.length + rowsOf.allocations.length + rowsOf.roundResults.length + rowsOf.playerResults.length;
    return [
      write.label,
      String(written),
      `${(rowsOf.session.snapshot.length / 1024).toFixed(0)} KB`,
      ...columns.map((c) => (c.samples ? `${percentile(c.samples[i], 0.5).toFixed(1)} (${percentile(c.samples[i], 0.9).toFixed(1)})` : 'skipped')),
    ];
  });
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, col) => cell.padEnd(widths[col])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  for (const column of columns) if (column.note) console.log(`\n${column.name}: ${column.note}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
