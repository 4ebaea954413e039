import { describe, expect, it } from 'vitest';
import { isBlockedName, leaderboardNickname } from '../../../lib/solo';

describe('leaderboard nicknames', () => {
  it('follow the class game’s rules', () => {
    expect(leaderboardNickname('  Clever   Owl ')).toEqual({ ok: true, nickname: 'Clever Owl' });
    expect(leaderboardNickname('')).toMatchObject({ ok: false });
    expect(leaderboardNickname('<script>')).toMatchObject({ ok: false });
    expect(leaderboardNickname('a'.repeat(21))).toMatchObject({ ok: false });
  });

  it('refuse unkind words however they are spelled', () => {
    for (const name of ['shit', 'Sh1t head', 's.h.i.t', 'SHIIIT', 'f u c k', 'Sex', 's e x', 'big dick']) {
      expect(isBlockedName(name), name).toBe(true);
      expect(leaderboardNickname(name)).toEqual({ ok: false, message: 'Please choose a kinder nickname.' });
    }
  });

  it('let real names and words through that merely contain a short blocked word', () => {
    for (const name of ['Essex Girl', 'Dickens', 'Grape', 'Scrap Metal', 'Hancock', 'Nazir', 'Sussex', 'Anaïs', 'Cassandra']) {
      expect(isBlockedName(name), name).toBe(false);
    }
  });
});
