/**
 * The address students type. The projector used to show whatever the teacher's browser used, which is
 * often `localhost:3000`, and no phone can reach that. `PUBLIC_URL` says it outright; without it the
 * server offers the LAN addresses it listens on, and the stage warns when all it has is loopback.
 */
import { networkInterfaces } from 'node:os';

/** GET /api/join-address */
export interface JoinAddressResponse {
  /** PUBLIC_URL's origin, when set: the address to show. */
  publicUrl: string | null;
  /** http://<address>:<port> for each IPv4 address of this machine other than loopback. */
  lanUrls: string[];
}

/** This machine's non-loopback IPv4 addresses, as URLs on `port`. */
export function lanUrls(port: number, interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): string[] {
  const urls: string[] = [];
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) urls.push(`http://${entry.address}${port === 80 ? '' : `:${port}`}`);
    }
  }
  return urls;
}

/** Whether phones on the network cannot reach this host name. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host) || host === '0.0.0.0';
}

/**
 * The answer to GET /api/join-address for a server listening on `host`:`port`. Only a server bound to
 * every interface (0.0.0.0, ::) is reachable at all of this machine's addresses; one bound to a single
 * address offers that one, and one bound to loopback offers none.
 */
export function joinAddress(publicUrl: string | undefined, host: string, port: number): JoinAddressResponse {
  const everywhere = host === '0.0.0.0' || host === '::' || host === '';
  const urls = everywhere ? lanUrls(port) : isLoopbackHost(host) ? [] : [`http://${host.includes(':') ? `[${host}]` : host}:${port}`];
  return { publicUrl: publicUrl ? new URL(publicUrl).origin : null, lanUrls: urls };
}
