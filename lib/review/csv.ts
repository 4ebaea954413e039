/**
 * The teacher's spreadsheet: one row per student per revealed round. RFC 4180 (fields with a comma,
 * quote, CR or LF quoted, quotes doubled, CRLF line ends), UTF-8 with a byte-order mark so Excel and
 * LibreOffice read accented and non-Latin names right, and text cells that a spreadsheet would run as
 * a formula (starting with = + - @, tab or CR) prefixed with an apostrophe.
 */
import type { TeacherReview } from './types';

/** UTF-8's byte-order mark, as the first character of the text. */
export const BOM = '\uFEFF';

const LINE_END = '\r\n';

/** What starts a formula in Excel, LibreOffice and Google Sheets (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as RFC 4180 writes it: quoted when it holds a comma, quote, CR or LF, quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Text someone typed (a nickname, a name): made inert for spreadsheets, then escaped. */
export function csvText(value: string): string {
  return csvField(FORMULA_START.test(value) ? `'${value}` : value);
}

/** A number with a fixed count of decimals, never `-0`, never locale-dependent. */
export function csvNumber(value: number, decimals: number): string {
  const factor = 10 ** decimals;
  // + 0 turns a rounded −0 into 0.
  return (Math.round(value * factor) / factor + 0).toFixed(decimals);
}

/** A weight in [0, 1] as a percentage with one decimal. */
function percent(weight: number): string {
  return csvNumber(weight * 100, 1);
}

/** A recorded yes or no; empty where the session predates the record. */
function yesNo(value: boolean | null): string {
  return value === null ? '' : value ? 'yes' : 'no';
}

/** The header row's names, so tests and readers agree on them. */
export function csvHeader(review: Pick<TeacherReview, 'lesson' | 'hasRealNames'>): string[] {
  const tokens = review.lesson.tokens;
  return [
    'session code',
    'lesson',
    'round',
    'player',
    ...(review.hasRealNames ? ['real name'] : []),
    'token',
    'token #',
    'head',
    'score',
    'bonus',
    'cosine',
    'over-weighted key',
    'over-weighted by (%)',
    'moved at all',
    'locked in',
    'locked in at (UTC)',
    'seconds to lock in',
    // 0-based, as the app numbers tokens (the phones, the dashboard, the lesson pages).
    ...tokens.map((t, j) => `allocation % (${j} ${t})`),
    ...tokens.map((t, j) => `model % (${j} ${t})`),
    // How the score was earned, by the same rule as the game (lib/game/scoring.ts).
    'top key found',
    'top-key points',
    'spread points',
  ];
}

/**
 * The review as CSV text (BOM first, CRLF after every row). Kicked students' earlier rounds stay in:
 * they were scored. The real-name column is there only when a real name is on record.
 */
export function toCsv(review: TeacherReview): string {
  const { tokens, heads, title } = review.lesson;
  const rows: string[][] = [csvHeader(review).map(csvText)];
  for (const round of review.rounds) {
    for (const student of review.students) {
      const played = student.rounds.find((r) => r.round === round.round);
      if (!played) continue;
      const over = played.overWeighted;
      rows.push([
        csvText(review.code),
        csvText(title),
        String(round.round),
        csvText(student.nickname),
        ...(review.hasRealNames ? [csvText(student.realName ?? '')] : []),
        csvText(tokens[played.token] ?? String(played.token)),
        String(played.token),
        csvText(heads[played.head] ?? String(played.head)),
        String(played.score),
        String(played.bonus),
        csvNumber(played.cosine, 3),
        over ? csvText(tokens[over.token] ?? String(over.token)) : '',
        over ? percent(over.by) : '',
        yesNo(played.moved),
        yesNo(played.lockedIn),
        played.lockedInAt === null ? '' : new Date(played.lockedInAt).toISOString(),
        played.lockedAfterMs === null ? '' : csvNumber(played.lockedAfterMs / 1000, 1),
        ...played.allocation.map(percent),
        ...played.trueRow.map(percent),
        played.foundTopKey ? 'yes' : 'no',
        String(played.topKeyPoints),
        String(played.spreadPoints),
      ]);
    }
  }
  return BOM + rows.map((row) => row.join(',') + LINE_END).join('');
}

/** A safe file name for the download: `attention-arena-<code>-<lesson id>.csv`. */
export function csvFileName(review: { code: string; lesson: Pick<TeacherReview['lesson'], 'id'> & Partial<TeacherReview['lesson']> }): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return `attention-arena-${safe(review.code)}-${safe(review.lesson.id)}.csv`;
}
