import { describe, expect, it } from 'vitest';
import { generateJoinCode, seededRandom } from '../../../lib/game';
import { JOIN_CODE_ALPHABET, isJoinCode, normalizeJoinCode } from '../../../lib/protocol';

describe('join codes', () => {
  it('are eight characters from an alphabet without look-alikes', () => {
    expect(JOIN_CODE_ALPHABET).toHaveLength(new Set(JOIN_CODE_ALPHABET).size);
    for (const lookAlike of '0OQD1IL2Z5S8B6GUV') expect(JOIN_CODE_ALPHABET).not.toContain(lookAlike);
    const random = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const code = generateJoinCode(random);
      expect(code).toMatch(/^[ACEFHJKMNPRTWXY3479]{8}$/);
      expect(isJoinCode(code)).toBe(true);
    }
  });

  it('come from the injected chance: the same seed draws the same codes', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect(Array.from({ length: 5 }, () => generateJoinCode(a))).toEqual(Array.from({ length: 5 }, () => generateJoinCode(b)));
  });

  it('use every character of the alphabet, even at the edges of the random range', () => {
    const seen = new Set<string>();
    const random = seededRandom(3);
    for (let i = 0; i < 300; i++) for (const c of generateJoinCode(random)) seen.add(c);
    expect(seen.size).toBe(JOIN_CODE_ALPHABET.length);
    expect(generateJoinCode(() => 0)).toBe('AAAAAAAA');
    expect(generateJoinCode(() => 0.9999999999)).toBe('99999999');
  });

  it('are read forgivingly: lower case, spaces and dashes', () => {
    expect(normalizeJoinCode(' ace-fhj ')).toBe('ACEFHJ');
    expect(isJoinCode(normalizeJoinCode('ac ef hj'))).toBe(true);
    expect(isJoinCode('ACEFH0')).toBe(false);
    expect(isJoinCode('ACEFH')).toBe(false);
    expect(isJoinCode('ACEFHJK')).toBe(false);
    // Sessions from before codes grew keep working.
    expect(isJoinCode('ACEFHJ')).toBe(true);
    expect(isJoinCode('ACEFHJKM')).toBe(true);
  });
});
