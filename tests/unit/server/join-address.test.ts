import { describe, expect, it } from 'vitest';
import { chooseJoinOrigin, groupedCode, isLoopbackHost } from '../../../app/components/stage/JoinPanel';
import { isLoopbackHost as serverIsLoopback, joinAddress, lanUrls } from '../../../server/http/join-address';

describe('the join address on the projector', () => {
  it('is PUBLIC_URL when the server has one', () => {
    expect(chooseJoinOrigin('http://localhost:3000', { publicUrl: 'https://arena.school.example', lanUrls: [] })).toEqual({
      origin: 'https://arena.school.example',
      loopback: false,
    });
  });

  it("is the page's own origin when phones can reach it", () => {
    expect(chooseJoinOrigin('http://192.168.1.20:3000', { publicUrl: null, lanUrls: ['http://10.0.0.5:3000'] })).toEqual({
      origin: 'http://192.168.1.20:3000',
      loopback: false,
    });
  });

  it('is a LAN address instead of localhost, and warns when there is none', () => {
    expect(chooseJoinOrigin('http://localhost:3000', { publicUrl: null, lanUrls: ['http://192.168.1.20:3000'] })).toEqual({
      origin: 'http://192.168.1.20:3000',
      loopback: false,
    });
    expect(chooseJoinOrigin('http://127.0.0.1:3000', { publicUrl: null, lanUrls: [] })).toEqual({ origin: 'http://127.0.0.1:3000', loopback: true });
    expect(chooseJoinOrigin('http://localhost:3000', null)).toEqual({ origin: 'http://localhost:3000', loopback: true });
  });

  it('tells loopback names apart, the same on both ends', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'app.localhost']) {
      expect(isLoopbackHost(host), host).toBe(true);
      expect(serverIsLoopback(host), host).toBe(true);
    }
    for (const host of ['192.168.1.20', 'arena.school.example', 'localhost.example.com']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it("lists this machine's IPv4 addresses other than loopback", () => {
    const interfaces = {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '', mac: '', cidr: null }],
      eth0: [
        { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '', mac: '', cidr: null },
        { address: 'fe80::1', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 1 },
      ],
    } as const;
    expect(lanUrls(3000, interfaces as unknown as Parameters<typeof lanUrls>[1])).toEqual(['http://192.168.1.20:3000']);
    expect(joinAddress('https://arena.school.example/path', '0.0.0.0', 3000).publicUrl).toBe('https://arena.school.example');
    // Bound to one address: only that one; bound to loopback: none a phone could use.
    expect(joinAddress(undefined, '192.168.1.20', 3000).lanUrls).toEqual(['http://192.168.1.20:3000']);
    expect(joinAddress(undefined, '127.0.0.1', 3000).lanUrls).toEqual([]);
  });

  it('shows an 8-character code in two halves', () => {
    expect(groupedCode('ACEFHJKM')).toBe('ACEF HJKM');
    expect(groupedCode('ACEFHJ')).toBe('ACE FHJ');
  });
});
