import { describe, expect, it } from 'vitest';
import {
  browserStore,
  forgetHost,
  forgetPlayer,
  loadHost,
  loadPlayer,
  markKicked,
  memoryStore,
  saveHost,
  savePlayer,
  storageKeys,
  wasKicked,
} from '../../../lib/client/storage';

const ada = { playerId: 'p1', playerSecret: 'abcdefghijklmnop', nickname: 'Ada' };

describe('what a browser remembers per session', () => {
  it('keys are per session code, normalized', () => {
    expect(storageKeys.player('acefhj')).toBe('arena:player:ACEFHJ');
    expect(storageKeys.host('ACE-FHJ')).toBe('arena:host:ACEFHJ');
    expect(storageKeys.kicked(' acefhj ')).toBe('arena:kicked:ACEFHJ');
  });

  it('keeps a student’s credentials per code, and forgets them', () => {
    const store = memoryStore();
    expect(savePlayer('ACEFHJ', ada, store)).toBe(true);
    expect(loadPlayer('acefhj', store)).toEqual(ada);
    expect(loadPlayer('WXYKMN', store)).toBeNull();
    forgetPlayer('ACEFHJ', store);
    expect(loadPlayer('ACEFHJ', store)).toBeNull();
  });

  it('keeps a teacher’s credentials apart from a student’s', () => {
    const store = memoryStore();
    saveHost('ACEFHJ', { sessionId: 's1', hostSecret: 'host-secret-0123456' }, store);
    expect(loadHost('ACEFHJ', store)).toEqual({ sessionId: 's1', hostSecret: 'host-secret-0123456' });
    expect(loadPlayer('ACEFHJ', store)).toBeNull();
    forgetHost('ACEFHJ', store);
    expect(loadHost('ACEFHJ', store)).toBeNull();
  });

  it('ignores entries it did not write', () => {
    const store = memoryStore();
    store.setItem(storageKeys.player('ACEFHJ'), '{not json');
    expect(loadPlayer('ACEFHJ', store)).toBeNull();
    store.setItem(storageKeys.player('ACEFHJ'), JSON.stringify({ playerId: 'p1' }));
    expect(loadPlayer('ACEFHJ', store)).toBeNull();
    store.setItem(storageKeys.host('ACEFHJ'), JSON.stringify('just a string'));
    expect(loadHost('ACEFHJ', store)).toBeNull();
  });

  it('a kick forgets the secret and is remembered until the student joins again', () => {
    const store = memoryStore();
    savePlayer('ACEFHJ', ada, store);
    markKicked('ACEFHJ', store);
    expect(loadPlayer('ACEFHJ', store)).toBeNull();
    expect(wasKicked('ACEFHJ', store)).toBe(true);
    savePlayer('ACEFHJ', ada, store);
    expect(wasKicked('ACEFHJ', store)).toBe(false);
  });

  it('works without any storage (server rendering, private mode)', () => {
    expect(browserStore()).toBeNull();
    expect(savePlayer('ACEFHJ', ada, null)).toBe(false);
    expect(loadPlayer('ACEFHJ', null)).toBeNull();
    expect(wasKicked('ACEFHJ', null)).toBe(false);
  });

  it('survives a store that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(savePlayer('ACEFHJ', ada, broken)).toBe(false);
    expect(loadPlayer('ACEFHJ', broken)).toBeNull();
    expect(() => forgetPlayer('ACEFHJ', broken)).not.toThrow();
  });
});
