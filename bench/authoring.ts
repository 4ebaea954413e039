/**
 * `npm run bench:authoring [-- --backend wasm|cpu|webgpu]`: three sentences a teacher might bring, each
 * with the arcs a teacher would draw. For each: the grammar head's and the meaning head's top arc per
 * content word, each drawn arc's strength, and the fit's time (median of 5 warm fits, the same seed, so
 * the same cards each time). Prints markdown with the load average, since timings here are noisy.
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createAttentionEngine, type BackendName } from '../lib/attention/engine';
import { attendLayer } from '../lib/attention/reference';
import { authoredDraftSchema, buildAuthoredLesson, type AuthoredDraftInput } from '../lib/authoring/lesson';
import { computeCards } from '../lib/lessons/cards';
import { loadWordNetLexicon } from '../server/authoring/lexicon';

const SENTENCES: (AuthoredDraftInput & { why: string })[] = [
  { sentence: 'We sat on the bank of the river', arcs: [{ query: 4, key: 7 }], why: 'bank is a river bank, not a money bank: the classic ambiguity' },
  { sentence: 'The animal did not cross the street because it was too tired', arcs: [{ query: 8, key: 1 }], why: 'what does "it" refer to? (a Winograd sentence)' },
  { sentence: 'She wrote a Python script and it ran', arcs: [{ query: 3, key: 4 }, { query: 7, key: 4 }], why: 'python the language, not the snake; and what ran' },
];
const RUNS = 5;

const backendArg = process.argv.indexOf('--backend');
const backend = (backendArg > 0 ? process.argv[backendArg + 1] : 'wasm') as BackendName;
const engine = await createAttentionEngine({ backend });
const lexicon = await loadWordNetLexicon();
const pct = (x: number) => `${Math.round(x * 100)} %`;

console.log(`# Authoring: three teacher sentences (${engine.backend}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; ${os.cpus().length} cores)\n`);
for (const input of SENTENCES) {
  const { why: _why, ...fields } = input;
  const draft = authoredDraftSchema.parse(fields);
  const times: number[] = [];
  let result = await buildAuthoredLesson(draft, 'authored-bench', { lexicon, attend: engine.attendLayer });
  // A live class shares this thread: how long can a fit hold it?
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  for (let r = 0; r < RUNS; r++) {
    result = await buildAuthoredLesson(draft, 'authored-bench', { lexicon, attend: engine.attendLayer });
    if (result.ok) times.push(result.fit.millis);
  }
  delay.disable();
  if (!result.ok) throw new Error(result.problems[0].message);
  times.sort((a, b) => a - b);
  const layer = attendLayer(computeCards(result.lesson), null, { scale: true, temperature: 1, causal: false });
  const tokens = result.lesson.tokens;
  console.log(`## “${input.sentence}” (${input.why})\n`);
  console.log(`fit: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms of ${RUNS} (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}), ${result.fit.steps} steps, seed ${result.fit.seed}; event loop held at most ${(delay.max / 1e6).toFixed(0)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms)\n`);
  console.log('| word | part of speech | meaning features | grammar head looks at | meaning head looks at |');
  console.log('|---|---|---|---|---|');
  result.tokens.forEach((token, t) => {
    const top = (h: number) => {
      const row = layer.heads[h].weights[t];
      const k = row.indexOf(Math.max(...row));
      return `${tokens[k]} ${pct(row[k])}`;
    };
    console.log(`| ${token.text} | ${token.pos} | ${Object.keys(token.meaning).join(', ') || '—'} | ${top(0)} | ${top(1)} |`);
  });
  console.log('\ndrawn arcs: ' + result.fit.arcs.map((a) => `${tokens[a.query]} → ${tokens[a.key]}: ${a.reached ? 'reached' : 'NOT reached'} (${pct(a.weight)})${a.reason ? ` — ${a.reason}` : ''}`).join('; '));
  console.log('goals: ' + result.verdicts.map((v) => `${v.holds ? '✓' : '✗'} ${v.text}`).join(' / ') + '\n');
}
engine.dispose();
