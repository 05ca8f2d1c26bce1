import type { Config } from '../config/config.js';

/**
 * The console's Content-Security-Policy: its own script and stylesheet only (no inline code,
 * no inline styles), no plugins, nobody may frame it, forms post back to it. A page that shows
 * a preview names that preview's origin in frame-src and nothing more.
 */
export function consoleCsp(frameOrigin?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${frameOrigin ?? "'none'"}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Origins the console may be opened at, which local previews on their own host names let
 * frame them: PUBLIC_URL's, or else the loopback names (and HOST) on any port, since PORT=0
 * picks one at start.
 */
export function consoleFrameAncestors(config: Config): string[] {
  if (config.http.publicUrl) return [new URL(config.http.publicUrl).origin];
  const hosts = new Set(['localhost', '127.0.0.1']);
  const host = config.http.host;
  if (/^[A-Za-z0-9.-]+$/.test(host) && host !== '0.0.0.0') hosts.add(host);
  return [...hosts].map((h) => `http://${h}:*`);
}

/**
 * The sandbox of the frame that shows a preview. A preview on another host keeps its origin
 * (its own storage works; the console's host-only cookie never reaches it); one served on the
 * console's own host name runs with an opaque origin, so its scripts cannot use the session.
 */
export function previewSandbox(previewUrl: string, consoleHostname: string): string {
  const base = 'allow-scripts allow-forms allow-popups allow-modals';
  return new URL(previewUrl).hostname === consoleHostname ? base : `${base} allow-same-origin`;
}
