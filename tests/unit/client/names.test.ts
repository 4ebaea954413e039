import { describe, expect, it } from 'vitest';
import { allSuggestions, suggestNickname } from '../../../lib/client/names';
import { NICKNAME_MAX_LENGTH, normalizeNickname, seededRandom } from '../../../lib/game';

describe('nickname suggestions', () => {
  it('every suggestion is a nickname the server accepts, and they are all different', () => {
    const names = allSuggestions();
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const name of names) {
      const checked = normalizeNickname(name);
      expect(checked, name).toEqual({ ok: true, nickname: name });
      expect(name.length).toBeLessThanOrEqual(NICKNAME_MAX_LENGTH);
    }
  });

  it('a new suggestion differs from the one shown', () => {
    const random = seededRandom(3);
    let name = suggestNickname(random);
    for (let i = 0; i < 50; i++) {
      const next = suggestNickname(random, name);
      expect(next).not.toBe(name);
      name = next;
    }
    // Even a "random" source stuck on one value moves on.
    expect(suggestNickname(() => 0, suggestNickname(() => 0))).not.toBe(suggestNickname(() => 0));
  });
});
