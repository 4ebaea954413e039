/**
 * The headers every answer carries, pages and API alike: no framing by other sites, no MIME sniffing,
 * no referrer (join codes live in URLs), no camera or microphone, and a Content-Security-Policy. Pages
 * get a fresh nonce per request: Next reads it from the request's own CSP header and puts it on its
 * scripts, so nothing without it runs. Production allows no `unsafe-eval` (React needs it in dev only).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RandomBytes } from '../secrets';

export interface HeaderOptions {
  /** `next dev` evaluates code for its error overlay; production never does. */
  dev: boolean;
  /** Origins that may frame the projector's stage (STAGE_EMBED_ORIGINS); nobody may frame anything else. */
  stageEmbedOrigins: readonly string[];
  randomBytes: RandomBytes;
}

const PERMISSIONS_POLICY = ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()', 'usb=()', 'interest-cohort=()'].join(', ');

/** The policy for a page rendered with `nonce`; `frameAncestors` is `'none'` unless the page may be embedded. */
export function pagePolicy(nonce: string, dev: boolean, frameAncestors: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Elements need the nonce; React's style props are attributes, which a nonce cannot cover.
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // The socket is same-origin; dev adds Next's hot-reload socket on the same host.
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** For JSON and CSV answers: nothing in them may run, load or be framed. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function isStagePath(url: string | undefined): boolean {
  return /^\/stage\/[^/?#]+(?:[?#]|$)/.test(url ?? '');
}

function setCommon(res: ServerResponse): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('permissions-policy', PERMISSIONS_POLICY);
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}

/** Headers for an /api answer. */
export function applyApiHeaders(res: ServerResponse): void {
  setCommon(res);
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('content-security-policy', API_POLICY);
}

/**
 * Headers for a page, and the nonce Next is to use: the request's own CSP header is set to the same
 * policy, which is where Next looks for it.
 */
export function applyPageHeaders(req: IncomingMessage, res: ServerResponse, options: HeaderOptions): void {
  setCommon(res);
  const embeddable = isStagePath(req.url) && options.stageEmbedOrigins.length > 0;
  const frameAncestors = embeddable ? options.stageEmbedOrigins.join(' ') : "'none'";
  // X-Frame-Options cannot name an origin; where the stage may be embedded, CSP alone decides.
  if (!embeddable) res.setHeader('x-frame-options', 'DENY');
  const nonce = options.randomBytes(16).toString('base64');
  const policy = pagePolicy(nonce, options.dev, frameAncestors);
  req.headers['content-security-policy'] = policy;
  res.setHeader('content-security-policy', policy);
}

/** Pages are only read: any other method is refused before Next sees it. */
export function refusePageMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${req.method ?? 'This method'} is not allowed here; pages are read with GET.`);
  return true;
}

/**
 * A request that changes something (anything but GET and HEAD) must come from a page of ours: a form
 * or fetch from another site is refused before any route runs. (Each POST route also takes JSON
 * only, so a cross-site form could not speak to it anyway.) True when the request was refused.
 */
export function refuseCrossSiteWrite(req: IncomingMessage, res: ServerResponse, allowedOrigin: (req: IncomingMessage) => boolean): boolean {
  if (req.method === 'GET' || req.method === 'HEAD' || allowedOrigin(req)) return false;
  const body = JSON.stringify({ error: { code: 'request/cross-origin', message: 'Requests that change something must come from this site’s own pages.' } });
  res.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
  return true;
}
