import { describe, expect, it } from 'vitest';
import { normalizeNickname } from '../../../lib/game';

describe('nicknames', () => {
  it('are trimmed, with inner spaces collapsed', () => {
    expect(normalizeNickname('  Ada   L. ')).toEqual({ ok: true, nickname: 'Ada L.' });
    expect(normalizeNickname('Zoë')).toEqual({ ok: true, nickname: 'Zoë' });
    expect(normalizeNickname('张伟')).toEqual({ ok: true, nickname: '张伟' });
    expect(normalizeNickname('line\nbreak')).toEqual({ ok: true, nickname: 'line break' });
  });

  it('refuse the empty, the long and markup', () => {
    for (const bad of ['', '   ', '---', 'a'.repeat(21), '<b>hi</b>', 'x\u202Ey']) {
      expect(normalizeNickname(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(normalizeNickname('a'.repeat(20)).ok).toBe(true);
  });
});
