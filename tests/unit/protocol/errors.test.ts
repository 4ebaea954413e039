import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ErrorCode, ackError, ackOk, isErrorCode } from '../../../lib/protocol';

describe('error codes', () => {
  it('are namespaced family/kebab-case and unique', () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^[a-z]+\/[a-z]+(-[a-z]+)*$/);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('include the ones the issue names', () => {
    for (const code of ['round/locked', 'seat/not-yours', 'session/not-found', 'auth/not-host', 'protocol/outdated', 'attention/causal-violation']) {
      expect(isErrorCode(code), code).toBe(true);
    }
    expect(isErrorCode('round/nope')).toBe(false);
    expect(isErrorCode(3)).toBe(false);
  });

  it('travel in acknowledgements', () => {
    expect(ackOk({ version: 3 })).toEqual({ ok: true, data: { version: 3 } });
    expect(ackError(ErrorCode.roundLocked, 'Locked.')).toEqual({ ok: false, error: { code: 'round/locked', message: 'Locked.' } });
  });
});
