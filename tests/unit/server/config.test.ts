import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';

describe('the door settings in the environment', () => {
  it('have defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ ROOM_SIZE: 300, IDLE_EXPIRY_MINUTES: 120, ALLOWED_ORIGINS: [], STAGE_EMBED_ORIGINS: [] });
    expect(config.PUBLIC_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('read lists of origins, the public address and numbers', () => {
    const config = loadConfig({
      PUBLIC_URL: 'https://arena.school.example',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443',
      STAGE_EMBED_ORIGINS: 'https://portal.school.example',
      ROOM_SIZE: '1000',
      IDLE_EXPIRY_MINUTES: '30',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.ALLOWED_ORIGINS).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(config).toMatchObject({ ROOM_SIZE: 1000, IDLE_EXPIRY_MINUTES: 30, PUBLIC_URL: 'https://arena.school.example' });
  });

  it('refuse what is not an address or out of range, naming the variable', () => {
    for (const [name, value] of [
      ['PUBLIC_URL', 'arena.school.example'],
      ['ALLOWED_ORIGINS', 'https://ok.example,javascript:alert(1)'],
      ['ROOM_SIZE', '1001'],
      ['ROOM_SIZE', '0'],
      ['IDLE_EXPIRY_MINUTES', 'soon'],
      ['REDIS_URL', 'http://127.0.0.1:6379'],
    ]) {
      expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(ConfigError);
      try {
        loadConfig({ [name]: value });
      } catch (error) {
        expect((error as ConfigError).message).toContain(name);
      }
    }
  });
});
