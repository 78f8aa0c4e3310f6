/**
 * Who the client is and which address it used, behind the proxies TRUST_PROXY names. One trust
 * rule serves Fastify (request.ip, request.host, request.protocol) and the raw requests that
 * Socket.IO handles before Fastify sees them, so both sides agree.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyAddr from '@fastify/proxy-addr';
import type { TrustProxy } from '../../config.js';

/** Whether the hop `index` (0 = the peer connected to us) may speak for the client. */
export type ProxyTrust = (address: string, index: number) => boolean;

export function proxyTrust(setting: TrustProxy): ProxyTrust {
  switch (setting.kind) {
    case 'none':
      return () => false;
    case 'hops':
      // The nearest `hops` addresses are proxies; the one before them is the client.
      return (_address, index) => index < setting.hops;
    case 'addresses':
      return proxyAddr.compile(setting.addresses);
  }
}

/** The last value of a header a chain of proxies may have appended to ("a, b, c" → "c"). */
function lastValue(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header.at(-1) : header;
  if (!value) return null;
  return value.slice(value.lastIndexOf(',') + 1).trim() || null;
}

/** The client's address: the first hop, counted from us, that is not a trusted proxy. */
export function clientAddress(request: IncomingMessage, trust: ProxyTrust): string {
  return proxyAddr(request, trust);
}

/**
 * The origin the client addressed (`https://chat.example.com`), as a browser names it in its
 * Origin header: the Host header, or X-Forwarded-Host and X-Forwarded-Proto when the peer is a
 * trusted proxy. Null when the request names no host.
 */
export function addressedOrigin(request: IncomingMessage, trust: ProxyTrust): string | null {
  const peer = request.socket.remoteAddress;
  const fromProxy = peer !== undefined && trust(peer, 0);
  const host =
    (fromProxy ? lastValue(request.headers['x-forwarded-host']) : null) ?? request.headers.host;
  const protocol =
    (fromProxy ? lastValue(request.headers['x-forwarded-proto']) : null) ??
    ((request.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http');
  if (!host || !/^https?$/.test(protocol)) return null;
  try {
    return new URL(`${protocol}://${host}`).origin;
  } catch {
    return null;
  }
}
