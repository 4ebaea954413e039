/** The arguments of `npm run attention`, parsed without touching the process so they can be tested. */
import { ENGINE_BACKENDS, isBackendName, type BackendName } from '../../lib/attention/backends';
import type { SettingsOverride } from '../../lib/lessons/schema';

export interface AttentionCliArgs {
  lesson: string;
  /** Absent: the engine's default. */
  backend?: BackendName;
  /** Only what the flags said; the lesson's own flags fill the rest. */
  override: SettingsOverride;
}

export type ParsedAttentionArgs = { ok: true; args: AttentionCliArgs } | { ok: false; error: string };

export const ATTENTION_USAGE =
  'usage: npm run attention -- --lesson <id> [--backend wasm|cpu|webgpu] [--scale|--no-scale] [--temperature T] [--causal|--no-causal]';

/**
 * Reads `argv` (without node and the script). `lessonIds` are the lessons that exist: an unknown one
 * is an error that lists them. Accepts `--flag value` and `--flag=value`.
 */
export function parseAttentionArgs(argv: readonly string[], lessonIds: readonly string[]): ParsedAttentionArgs {
  const fail = (problem: string): ParsedAttentionArgs => ({
    ok: false,
    error: `${problem}\n${ATTENTION_USAGE}\nlessons: ${lessonIds.join(', ')}`,
  });
  let lesson: string | undefined;
  let backend: BackendName | undefined;
  const override: SettingsOverride = {};
  const seen = new Set<string>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    // Settings that switch the same thing on and off count as one, so `--scale --no-scale` is refused.
    const setting = flag.replace(/^--no-/, '--');
    if (seen.has(setting)) return fail(`${flag} is given more than once`);
    seen.add(setting);
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return undefined;
      i++;
      return next;
    };
    const noValue = () => inline === undefined;

    switch (flag) {
      case '--lesson': {
        const id = value();
        if (!id) return fail('--lesson needs a lesson id');
        lesson = id;
        break;
      }
      case '--backend': {
        const name = value();
        if (!name || !isBackendName(name)) {
          return fail(`--backend must be one of ${ENGINE_BACKENDS.join(', ')}${name ? `, not "${name}"` : ''}`);
        }
        backend = name;
        break;
      }
      case '--temperature': {
        const text = value();
        const t = text === undefined ? NaN : Number(text);
        if (text === undefined || text.trim() === '' || !Number.isFinite(t) || t <= 0) {
          return fail(`--temperature must be a positive number${text === undefined ? '' : `, not "${text}"`}`);
        }
        override.temperature = t;
        break;
      }
      case '--scale':
      case '--no-scale':
      case '--causal':
      case '--no-causal': {
        if (!noValue()) return fail(`${flag} takes no value`);
        const on = !flag.startsWith('--no-');
        if (setting === '--scale') override.scale = on;
        else override.causal = on;
        break;
      }
      default:
        return fail(`unknown argument "${arg}"`);
    }
  }

  if (lesson === undefined) return fail('--lesson is required');
  if (!lessonIds.includes(lesson)) return fail(`unknown lesson "${lesson}"`);
  return { ok: true, args: { lesson, backend, override } };
}
