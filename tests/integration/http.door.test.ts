/**
 * The HTTP side of the door, against a real server without Next (pages answer 404 here; the e2e
 * suite checks the real pages in Chromium): security headers on every answer, pages only read,
 * writes only as JSON from this site's own pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, type BootedServer } from '../helpers/server';

let booted: BootedServer;

beforeAll(async () => {
  booted = await bootServer({ backend: 'cpu' });
});

afterAll(async () => {
  await booted?.close();
});

const request = (path: string, init?: RequestInit) => fetch(`${booted.url}${path}`, init);

describe('headers', () => {
  it('every API answer forbids framing, sniffing, referrers and loading anything', async () => {
    for (const path of ['/api/health', '/api/lessons', '/api/nope', '/api/review/AAAAAAAA']) {
      const response = await request(path);
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('permissions-policy'), path).toContain('camera=()');
      expect(response.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(response.headers.get('content-security-policy'), path).toContain("default-src 'none'");
    }
  });

  it('every page gets a CSP with a fresh nonce, strict-dynamic, no unsafe-eval, and frame-ancestors none', async () => {
    const policies = await Promise.all(['/', '/stage/ACEFHJKM'].map(async (path) => (await request(path)).headers.get('content-security-policy') ?? ''));
    for (const policy of policies) {
      expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
      expect(policy).not.toContain('unsafe-eval');
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("object-src 'none'");
    }
    const nonces = policies.map((p) => /'nonce-([^']+)'/.exec(p)?.[1]);
    expect(nonces[0]).not.toBe(nonces[1]);
  });
});

describe('methods and bodies', () => {
  it('pages answer only GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await request('/', { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    // fetch() cannot send TRACE; the plain HTTP client can.
    const { request: httpRequest } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${booted.url}/`, { method: 'TRACE' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(405);
  });

  it('a POST must carry JSON: text/plain and form bodies are refused before any route runs', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await request('/api/solo/nickname', { method: 'POST', headers: { 'content-type': type }, body: '{"nickname":"Ada"}' });
      expect(response.status, type).toBe(415);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('request/invalid');
    }
    const json = await request('/api/solo/nickname', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nickname":"Ada"}' });
    expect(json.status).toBe(200);
  });

  it("a POST from another site's page is refused; one from the server's own origin is not", async () => {
    const body = '{"nickname":"Ada"}';
    const evil = await request('/api/solo/nickname', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: { code: string } }).error.code).toBe('request/cross-origin');
    const own = await request('/api/solo/nickname', { method: 'POST', headers: { 'content-type': 'application/json', origin: booted.url }, body });
    expect(own.status).toBe(200);
  });
});

describe('the join address', () => {
  it('offers no LAN address when the server only listens on loopback (the stage then warns)', async () => {
    const body = (await (await request('/api/join-address')).json()) as { publicUrl: string | null; lanUrls: string[] };
    expect(body).toEqual({ publicUrl: null, lanUrls: [] });
  });
});
