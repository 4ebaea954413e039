/**
 * `npm run attention -- --lesson <id> [--backend wasm|cpu|webgpu] [--no-scale] [--temperature T] [--causal]`
 *
 * Runs one curated lesson through the engine and prints ONE JSON object on stdout:
 * `{ lesson, backend, tokens, heads: [{ name, q, k, v, scores, weights, outputs }], output }`.
 * Rows are tokens (a score row is a query); masked scores are null. Other tools parse this, so the
 * shape stays stable. Everything else goes to stderr. Exit 2: bad arguments; exit 1: the engine failed.
 */
import { createAttentionEngine } from '../../lib/attention/engine';
import { attentionOptionsFor, computeCards } from '../../lib/lessons/cards';
import { curatedLessons, getLesson } from '../../lib/lessons/curated';
import { parseAttentionArgs } from './attention-args';

type Row = (number | null)[];

const masked = (m: readonly (readonly number[])[]): Row[] => m.map((row) => row.map((x) => (x === -Infinity ? null : x)));

async function main(): Promise<number> {
  // stdout carries the JSON alone; anything a library prints with console.log goes to stderr instead.
  console.log = console.error;
  const parsed = parseAttentionArgs(
    process.argv.slice(2),
    curatedLessons.map((l) => l.id),
  );
  if (!parsed.ok) {
    console.error(parsed.error);
    return 2;
  }
  const { args } = parsed;
  const lesson = getLesson(args.lesson);
  if (!lesson) {
    console.error(`unknown lesson "${args.lesson}"`);
    return 2;
  }
  const engine = await createAttentionEngine({ backend: args.backend, log: (line) => console.error(line) });
  try {
    const layer = await engine.attendLayer(computeCards(lesson), lesson.wO, attentionOptionsFor(lesson, args.override));
    const result = {
      lesson: lesson.id,
      backend: engine.backend,
      tokens: lesson.tokens,
      heads: layer.heads.map((h) => ({
        name: h.name,
        q: h.q,
        k: h.k,
        v: h.v,
        scores: masked(h.scores),
        weights: h.weights,
        outputs: h.outputs,
      })),
      output: layer.output,
    };
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(`${JSON.stringify(result)}\n`, (err) => (err ? reject(err) : resolve())),
    );
    return 0;
  } finally {
    engine.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
