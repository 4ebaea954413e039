import { describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, checkHandshake, handshakeAuth, isClientOutdated } from '../../../lib/protocol';

describe('the handshake', () => {
  it('welcomes a client of this version', () => {
    expect(checkHandshake(handshakeAuth())).toBeNull();
    expect(handshakeAuth()).toEqual({ protocolVersion: PROTOCOL_VERSION });
  });

  it('tells an older client it is out of date', () => {
    expect(isClientOutdated(PROTOCOL_VERSION - 1)).toBe(true);
    expect(isClientOutdated(PROTOCOL_VERSION)).toBe(false);
    expect(checkHandshake({ protocolVersion: PROTOCOL_VERSION - 1 })?.code).toBe(ErrorCode.protocolOutdated);
    expect(checkHandshake({ protocolVersion: PROTOCOL_VERSION - 1 })?.message).toMatch(/reload/);
  });

  it('tells a client newer than the server so, with another code', () => {
    expect(checkHandshake({ protocolVersion: PROTOCOL_VERSION + 1 })?.code).toBe(ErrorCode.protocolUnsupported);
  });

  it('refuses a handshake without a version, or with anything else in it', () => {
    for (const auth of [undefined, null, {}, { protocolVersion: '1' }, { protocolVersion: 1.5 }, { protocolVersion: PROTOCOL_VERSION, token: 'x' }]) {
      expect(checkHandshake(auth)?.code, JSON.stringify(auth)).toBe(ErrorCode.requestInvalid);
    }
  });
});
