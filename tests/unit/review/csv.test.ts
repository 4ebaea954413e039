import { describe, expect, it } from 'vitest';
import { BOM, buildReview, csvField, csvFileName, csvHeader, csvNumber, csvText, toCsv, type TeacherReview } from '../../../lib/review';
import { joinAll, newSession, oneHeadLesson, run, seatOfPlayer, student, teacher, testLesson, toNegotiation, World } from '../game/fixtures';
import { peaked, playedSession } from './fixtures';
import { CsvSyntaxError, parseRfc4180, readCsvFile } from './rfc4180';

const NASTY = [
  { nickname: 'Zoë, the "Great"', realName: 'Doe, Jane "JD"' },
  { nickname: 'Line\nbreak', realName: 'Carriage\r\nreturn, and ""quotes""' },
  { nickname: '漢字 Ünïcödé 🎉', realName: 'Łukasz Żółć 👩🏽‍🔬' },
  { nickname: '=HYPERLINK("http://x")', realName: '@SUM(A1)' },
];

/** A played session whose students carry names no join form would accept: the CSV must survive anything. */
function nastyReview(withRealNames: boolean): { review: TeacherReview; names: typeof NASTY } {
  const state = structuredClone(playedSession(testLesson, 4, 2, { end: true }));
  state.players.forEach((p, i) => {
    p.nickname = NASTY[i].nickname;
    if (withRealNames) Object.assign(p, { realName: NASTY[i].realName });
  });
  return { review: buildReview(state), names: NASTY };
}

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

describe('RFC 4180 fields', () => {
  it('quotes fields with a comma, quote, CR or LF and doubles quotes; leaves others alone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('')).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('漢字 🎉')).toBe('漢字 🎉');
  });

  it('makes text that a spreadsheet would run as a formula inert', () => {
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvText('+33 6')).toBe("'+33 6");
    expect(csvText('-x')).toBe("'-x");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvText("O'Brien")).toBe("O'Brien");
  });

  it('writes numbers without locale and without −0', () => {
    expect(csvNumber(12.345, 1)).toBe('12.3');
    expect(csvNumber(-0.00001, 3)).toBe('0.000');
    expect(csvNumber(-0.5, 3)).toBe('-0.500');
    expect(csvNumber(100, 1)).toBe('100.0');
  });
});

describe('the strict reader used by these tests', () => {
  it('reads quoted fields with commas, quotes and line breaks', () => {
    expect(parseRfc4180('a,"b,""c""\r\nd"\r\n1,2\r\n')).toEqual([
      ['a', 'b,"c"\r\nd'],
      ['1', '2'],
    ]);
  });

  it('refuses bare line breaks, stray quotes and ragged rows', () => {
    expect(() => parseRfc4180('a,b\n1,2\r\n')).toThrow(CsvSyntaxError);
    expect(() => parseRfc4180('a,b\r1,2\r\n')).toThrow(CsvSyntaxError);
    expect(() => parseRfc4180('a,b"c\r\n')).toThrow(CsvSyntaxError);
    expect(() => parseRfc4180('"a"x,b\r\n')).toThrow(CsvSyntaxError);
    expect(() => parseRfc4180('"a,b\r\n')).toThrow(CsvSyntaxError);
    expect(() => parseRfc4180('a,b\r\n1\r\n')).toThrow(CsvSyntaxError);
    expect(() => readCsvFile(bytesOf('a\r\n'))).toThrow(/byte-order mark/);
  });
});

describe('toCsv', () => {
  it('is UTF-8 with a BOM, CRLF after every record, one row per student per round', () => {
    const { review } = nastyReview(false);
    const csv = toCsv(review);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const bytes = bytesOf(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { header, rows } = readCsvFile(bytes);
    expect(header).toEqual(csvHeader(review));
    expect(header).not.toContain('real name');
    expect(header.slice(0, 17)).toEqual([
      'session code',
      'lesson',
      'round',
      'player',
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
      'allocation % (0 Ada)',
    ]);
    expect(rows).toHaveLength(4 * 2);
    expect(rows.map((r) => r.round)).toEqual(['1', '1', '1', '1', '2', '2', '2', '2']);
  });

  it('reads back every name exactly, commas, quotes, line breaks, accents, CJK and emoji included', () => {
    const { review, names } = nastyReview(true);
    const { header, rows } = readCsvFile(bytesOf(toCsv(review)));
    expect(header[4]).toBe('real name');
    const firstRound = rows.filter((r) => r.round === '1');
    expect(firstRound.map((r) => r.player)).toEqual([names[0].nickname, names[1].nickname, names[2].nickname, `'${names[3].nickname}`]);
    expect(firstRound.map((r) => r['real name'])).toEqual([names[0].realName, names[1].realName, names[2].realName, `'${names[3].realName}`]);
  });

  it('carries the numbers of each student’s round', () => {
    const { review } = nastyReview(false);
    const { rows } = readCsvFile(bytesOf(toCsv(review)));
    const tokens = review.lesson.tokens;
    for (const row of rows) {
      const student = review.students.find((s) => s.nickname === row.player || `'${s.nickname}` === row.player)!;
      const played = student.rounds.find((r) => String(r.round) === row.round)!;
      expect(row['session code']).toBe('ACEFHJ');
      expect(row.lesson).toBe(testLesson.title);
      expect(row.token).toBe(tokens[played.token]);
      expect(row.head).toBe(review.lesson.heads[played.head]);
      expect(Number(row.score)).toBe(played.score);
      expect(Number(row.bonus)).toBe(played.bonus);
      expect(row['top key found']).toBe(played.foundTopKey ? 'yes' : 'no');
      expect(Number(row['top-key points']) + Number(row['spread points'])).toBe(played.score);
      expect(row['moved at all']).toBe(played.touched ? 'yes' : 'no');
      expect(Number(row.cosine)).toBeCloseTo(played.cosine, 3);
      expect(row['over-weighted key']).toBe(played.overWeighted ? tokens[played.overWeighted.token] : '');
      if (played.overWeighted) expect(Number(row['over-weighted by (%)'])).toBeCloseTo(played.overWeighted.by * 100, 1);
      expect(row['token #']).toBe(String(played.token));
      const allocation = tokens.map((t, j) => Number(row[`allocation % (${j} ${t})`]));
      const model = tokens.map((t, j) => Number(row[`model % (${j} ${t})`]));
      allocation.forEach((p, j) => expect(p).toBeCloseTo(played.allocation[j] * 100, 1));
      model.forEach((p, j) => expect(p).toBeCloseTo(played.trueRow[j] * 100, 1));
      expect(allocation.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
      expect(model.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
    }
  });

  it('tells a passive even split from a deliberate one: moved at all, locked in, when and after how long', () => {
    const world = new World(9);
    let state = joinAll(newSession(oneHeadLesson, world), 3, world);
    state = toNegotiation(state, world);
    const opened = world.now;
    const n = oneHeadLesson.tokens.length;
    world.tick(12_500);
    state = run(state, { type: 'attention:allocate', round: 1, weights: peaked(n, seatOfPlayer(state, 'p1').token, 0.7), by: student('p1') }, world);
    state = run(state, { type: 'attention:lock', round: 1, by: student('p1') }, world);
    const lockedAt = world.now;
    state = run(state, { type: 'attention:allocate', round: 1, weights: peaked(n, 0, 0.5), by: student('p2') }, world);
    // p3 never moves: their allocation is the even split the seat started with.
    state = run(state, { type: 'teacher:lock', by: teacher }, world);
    state = run(state, { type: 'teacher:reveal', by: teacher }, world);
    const { rows } = readCsvFile(bytesOf(toCsv(buildReview(state))));
    const byPlayer = Object.fromEntries(rows.map((r) => [r.player, r]));
    expect(byPlayer.p1).toMatchObject({ 'moved at all': 'yes', 'locked in': 'yes', 'locked in at (UTC)': new Date(lockedAt).toISOString(), 'seconds to lock in': '12.5' });
    expect(byPlayer.p2).toMatchObject({ 'moved at all': 'yes', 'locked in': 'no', 'locked in at (UTC)': '', 'seconds to lock in': '' });
    expect(byPlayer.p3).toMatchObject({ 'moved at all': 'no', 'locked in': 'no' });
    expect(lockedAt - opened).toBe(12_500);
  });

  it('has only the header before the first reveal', () => {
    const review = buildReview(playedSession(testLesson, 2, 0));
    const { rows } = readCsvFile(bytesOf(toCsv(review)));
    expect(rows).toEqual([]);
  });

  it('names the file after the code and the lesson', () => {
    expect(csvFileName({ code: 'ACEFHJ', lesson: { id: 'the-cat-sat', title: '', sentence: '', tokens: [], heads: [] } })).toBe(
      'attention-arena-ACEFHJ-the-cat-sat.csv',
    );
  });
});
