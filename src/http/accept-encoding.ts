import type { ContentEncoding } from '../artifacts/compressed-siblings.js';

/**
 * The encodings a request's Accept-Encoding allows, best first, among those the site host
 * stores (brotli, gzip). RFC 9110 §12.5.3: a coding listed with q=0 is refused, `*` stands
 * for every coding not listed, and no header at all means the client takes what it gets;
 * we read that as identity, as browsers always send the header and tools that omit it
 * (curl, scripts) expect plain bytes. Between equal weights brotli wins: it is smaller.
 */
export function acceptedEncodings(header: string | string[] | undefined): ContentEncoding[] {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.trim() === '') return [];
  const weights = new Map<string, number>();
  for (const part of value.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = (rawName ?? '').trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (match) q = Number(match[1]);
    }
    if (!Number.isFinite(q) || q < 0 || q > 1) q = 0;
    // A coding listed twice keeps its lowest weight: refusing wins over accepting.
    weights.set(name, Math.min(q, weights.get(name) ?? 1));
  }
  const star = weights.get('*');
  const weightOf = (name: string, alias?: string) =>
    weights.get(name) ?? (alias ? weights.get(alias) : undefined) ?? star ?? 0;
  const candidates: Array<{ encoding: ContentEncoding; q: number; rank: number }> = [
    { encoding: 'br', q: weightOf('br'), rank: 0 },
    { encoding: 'gzip', q: weightOf('gzip', 'x-gzip'), rank: 1 },
  ];
  // Plain bytes weighted above a coding (`identity;q=1, br;q=0.5`) are what the client prefers.
  const identity = weights.get('identity') ?? 0;
  return candidates
    .filter((c) => c.q > 0 && c.q >= identity)
    .sort((a, b) => b.q - a.q || a.rank - b.rank)
    .map((c) => c.encoding);
}
