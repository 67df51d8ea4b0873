/**
 * How a request reached twofold: over HTTPS, over plain HTTP inside this machine (development), or neither —
 * and whether a proxy the application does not trust sits in between. The Host header alone cannot say "this
 * machine": a TLS proxy on the same host forwards `Host: 127.0.0.1:PORT` (nginx's default `proxy_pass`) for
 * every browser on the Internet.
 */
import { isLoopbackAddress, isLoopbackHost } from '../delivery/loopback.js';
import type { RequestInfo } from './handler.js';

/** Headers only a proxy sets; a request carrying one came through a proxy, or pretends it did. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip'] as const;

/** What the handler decides from the URL, the headers and what the adapter knows of the connection. */
export interface Transport {
  /** The URL is `https:` (the adapter read the scheme from the socket, or from a proxy it trusts). */
  readonly https: boolean;
  /** Plain HTTP between a browser and a server both on this machine: the one clear-text channel allowed. */
  readonly thisMachine: boolean;
  /** Forwarding headers arrived that the application does not trust: its scheme and client address are the proxy's. */
  readonly untrustedProxy: boolean;
}

/**
 * The request's transport. Plain HTTP counts as this machine only when the host is a loopback name, the
 * connection (when the adapter says) comes from a loopback address, and no forwarding header is present, or
 * the trusted proxy says the client itself is on this machine. Without connection info (`security.handle`
 * called directly) forwarding headers are never trusted.
 */
export function transportOf(url: URL, headers: Headers, info: RequestInfo): Transport {
  const https = url.protocol === 'https:';
  const forwarded = FORWARDING_HEADERS.some((name) => headers.has(name));
  const untrustedProxy = forwarded && info.forwardingTrusted !== true;
  // Browsers also keep `*.localhost` on this machine (RFC 6761); `url.hostname` is lower case already.
  const loopbackHost = isLoopbackHost(url.hostname) || url.hostname.endsWith('.localhost');
  const connection = info.connectionAddress ?? null;
  const connectionLocal = connection === null || isLoopbackAddress(connection);
  // Behind a trusted proxy the client is the one the proxy names, not the proxy.
  const client = info.clientAddress ?? null;
  const clientLocal = !forwarded || (client !== null && isLoopbackAddress(client));
  return { https, thisMachine: !https && loopbackHost && connectionLocal && !untrustedProxy && clientLocal, untrustedProxy };
}
