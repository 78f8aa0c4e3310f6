/**
 * Links in messages: only web and mail addresses, opened in a new tab that gets no handle on this
 * one, never followed by search engines; a link whose text is not its address shows the domain it
 * really goes to (from the address itself: nothing is fetched).
 */
import type { ReactNode } from 'react';

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The address to put in an href, normalized by the URL parser; null for anything else. */
export function safeHref(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    // Relative addresses have no meaning in a message.
    return null;
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null;
}

/** The host a web address goes to, as the browser will see it (IDNs in punycode). */
export function domainOf(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.hostname : null;
  } catch {
    return null;
  }
}

export function SafeLink({
  href,
  children,
  showDomain = false,
}: {
  /** Already checked with safeHref. */
  href: string;
  children: ReactNode;
  /** For links whose text is not their address. */
  showDomain?: boolean;
}) {
  const domain = showDomain ? domainOf(href) : null;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" title={href}>
      {children}
      {domain && (
        <span className="link-domain">
          {' '}
          <span className="visually-hidden">(</span>
          {domain}
          <span className="visually-hidden">)</span>
        </span>
      )}
    </a>
  );
}
