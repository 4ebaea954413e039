/**
 * Which web pages may open a socket or send a POST: the page's own origin, the configured public
 * address, and whatever `ALLOWED_ORIGINS` adds. A request without an Origin header is not from another
 * site's page (browsers always send one cross-origin), so it is let through.
 */
import type { IncomingMessage } from 'node:http';

/** An origin as browsers send it: scheme, host and port, no path; null when `value` is not one. */
export function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

export interface OriginPolicy {
  /** Origins allowed besides the request's own host. */
  allowed: ReadonlySet<string>;
}

export function originPolicy(allowed: readonly string[]): OriginPolicy {
  return { allowed: new Set(allowed.map((o) => originOf(o)).filter((o): o is string => o !== null)) };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Whether the page that sent `req` may talk to this server: no Origin (not a cross-site browser
 * request), the same host the request was sent to, or an allowed origin.
 */
export function originAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
  const origin = header(req, 'origin');
  if (origin === undefined) return true;
  const parsed = originOf(origin);
  if (parsed === null) return false;
  if (policy.allowed.has(parsed)) return true;
  const host = header(req, 'host');
  return host !== undefined && new URL(parsed).host === host.toLowerCase();
}
