import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

// Larger pages keep the strict policy as it is: no framework writes megabytes of inline script.
const MAX_PAGE_BYTES = 2 * 1024 * 1024;
// Bounds the header: a page with more inline scripts than this runs only the first ones.
const MAX_HASHES = 64;
// An inline script: a <script> element without a src attribute, and its text.
const INLINE_SCRIPT = /<script\b(?![^>]*\ssrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi;

/** CSP source expressions ('sha256-…') for each inline script of a page. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    const text = match[1] ?? '';
    if (text.trim() === '') continue;
    hashes.add(`'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
    if (hashes.size >= MAX_HASHES) break;
  }
  return [...hashes];
}

/**
 * The preview policy allowing exactly the inline scripts the page itself carries. Next.js
 * static exports hydrate from inline scripts and Astro inlines small ones; `'unsafe-inline'`
 * would also run script injected into a page, a hash runs only the page's own bytes.
 */
export async function policyForPage(csp: string, file: string): Promise<string> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile() || info.size > MAX_PAGE_BYTES) return csp;
  // An unpacked site never changes in place (it is swapped), so a page is read and hashed
  // once, not on every request.
  const key = `${file}\0${info.ino}\0${info.size}\0${info.mtimeMs}`;
  let hashes = pageHashes.get(key);
  if (!hashes) {
    hashes = inlineScriptHashes(await readFile(file, 'utf8'));
    if (pageHashes.size >= MAX_PAGES) pageHashes.delete(pageHashes.keys().next().value as string);
    pageHashes.set(key, hashes);
  }
  if (hashes.length === 0) return csp;
  return csp.replace("script-src 'self'", `script-src 'self' ${hashes.join(' ')}`);
}

const pageHashes = new Map<string, string[]>();
const MAX_PAGES = 10_000;
